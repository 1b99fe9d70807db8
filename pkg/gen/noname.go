package gen

import (
	"fmt"
	"slices"
	"strings"
)

// NoName is the one refusal of an --env or --product value that names
// nothing in file (a topology, or a bundle's manifest.json), worded the
// same by every command:
//
//	FILE: no environment "prd"; did you mean "prod"? give --env one of: dev, prod
//
// noun is "environment" or "product", flag the option that took name,
// and have the names file holds, in its order.
func NoName(file, noun, flag, name string, have []string) *InputError {
	hint := ""
	if c := Closest(name, have); c != "" {
		hint = fmt.Sprintf(" did you mean %q?", c)
	}
	return &InputError{File: file, Msg: fmt.Sprintf("no %s %q;%s give %s one of: %s", noun, name, hint, flag, strings.Join(have, ", "))}
}

// NoPair is the refusal of an --env and --product that each name
// something in file but nothing together: the product is not in that
// environment. pairs are the env/product pairs file holds.
//
//	FILE: no product "mi" in environment "dev"; give --env and --product one of the pairs: dev/iam, prod/mi
func NoPair(file, env, product string, pairs []string) *InputError {
	return &InputError{File: file, Msg: fmt.Sprintf("no product %q in environment %q; give --env and --product one of the pairs: %s", product, env, strings.Join(pairs, ", "))}
}

// Several is the refusal of a command that acts on one environment or
// product when file holds several and flag did not choose one: what says
// so, and have are the names to choose from, worded as NoName is:
//
//	FILE: product "iam" is in several environments; give --env one of: dev, prod
func Several(file, what, flag string, have []string) *InputError {
	return &InputError{File: file, Msg: fmt.Sprintf("%s; give %s one of: %s", what, flag, strings.Join(have, ", "))}
}

// SeveralPairs is Several when --env and --product together choose one of
// the env/product pairs file holds, worded as NoPair is.
func SeveralPairs(file, what string, pairs []string) *InputError {
	return &InputError{File: file, Msg: fmt.Sprintf("%s; give --env and --product one of the pairs: %s", what, strings.Join(pairs, ", "))}
}

// CheckNames refuses an --env or --product value that names nothing in
// file, with NoName, offering the products of the environments asked for;
// and a product in none of those environments, with NoPair. pairs are the
// env/product pairs file holds, in its order (repeats allowed); a pair
// with an empty env (a product in no environment, a WSO2 home's) names its
// product only. Empty envs or products select all.
func CheckNames(file string, pairs [][2]string, envs, products []string) error {
	var haveEnvs, haveProducts, offered, pairNames []string
	for _, p := range pairs {
		haveProducts = AppendNew(haveProducts, p[1])
		if len(envs) == 0 || slices.Contains(envs, p[0]) {
			offered = AppendNew(offered, p[1])
		}
		if p[0] == "" {
			pairNames = AppendNew(pairNames, p[1])
			continue
		}
		haveEnvs = AppendNew(haveEnvs, p[0])
		pairNames = AppendNew(pairNames, p[0]+"/"+p[1])
	}
	for _, e := range envs {
		if !slices.Contains(haveEnvs, e) {
			return NoName(file, "environment", "--env", e, haveEnvs)
		}
	}
	for _, p := range products {
		if !slices.Contains(haveProducts, p) {
			return NoName(file, "product", "--product", p, offered)
		}
		if len(envs) > 0 && !slices.ContainsFunc(envs, func(e string) bool { return slices.Contains(pairNames, e+"/"+p) }) {
			return NoPair(file, envs[0], p, pairNames)
		}
	}
	return nil
}

// AppendNew appends s to list unless list holds it already.
func AppendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
