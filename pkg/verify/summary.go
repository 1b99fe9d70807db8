package verify

// ProductSummary counts the findings of one product: of every PATH with the same product
// label (its instances, and instances-identical) together.
type ProductSummary struct {
	Product string `json:"product"`
	Summary
}

// add counts one finding.
func (s *Summary) add(sev Severity) {
	switch sev {
	case Pass:
		s.Pass++
	case Warn:
		s.Warn++
	case Fail:
		s.Fail++
	case Skip:
		s.Skip++
	}
}

// Tally counts r.Findings into r.Summary and r.Products (products in the order their first
// finding appears). A report built from findings of its own calls it before it is printed.
func (r *Report) Tally() {
	r.Summary = Summary{}
	r.Products = []ProductSummary{}
	index := map[string]int{}
	for _, f := range r.Findings {
		r.Summary.add(f.Severity)
		i, ok := index[f.Product]
		if !ok {
			i = len(r.Products)
			index[f.Product] = i
			r.Products = append(r.Products, ProductSummary{Product: f.Product})
		}
		r.Products[i].add(f.Severity)
	}
}
