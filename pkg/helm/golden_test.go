package helm

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/emit"
)

// TestHelmValuesGolden pins the overlays' text, header included.
func TestHelmValuesGolden(t *testing.T) {
	b, err := emit.Build(testkit.Plan(t, helmTopology), emit.BuildOptions{Rand: testkit.Rand(7), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := Overlays(b, Options{Namespace: "wso2", APIMChart: APIMGateway})
	if err != nil {
		t.Fatal(err)
	}
	// The stores' salts are random, so is their hash: TestHelmRolls checks it.
	hash := regexp.MustCompile(StoresHashAnnotation + `: [0-9a-f]{64}\n`)
	for _, f := range out {
		if strings.HasPrefix(f.Path, "dev/") && strings.HasSuffix(f.Path, "-values.yaml") {
			testkit.Golden(t, filepath.Join("testdata", f.Path), hash.ReplaceAll(f.Data, []byte(StoresHashAnnotation+": SHA-256\n")))
		}
	}
}

// TestHelmRolls: the pod annotation of the APIM and MI overlays is a hash
// of the product's keystores and passwords Secrets, so that helm upgrade
// rolls the pods exactly when renew or rotate changed what they mount.
func TestHelmRolls(t *testing.T) {
	b, err := emit.Build(testkit.Plan(t, helmTopology), emit.BuildOptions{Rand: testkit.Rand(7), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	annotations := func() map[string]string {
		t.Helper()
		out, _, err := Overlays(b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range out {
			if strings.HasSuffix(f.Path, "-values.yaml") {
				_, leaves := overlayOf(t, f.Path, f.Data)
				for k, v := range leaves {
					if strings.HasSuffix(k, "."+StoresHashAnnotation) {
						got[f.Path] = v
					}
				}
			}
		}
		return got
	}
	before := annotations()
	if len(before) != 4 || before["dev/apim-values.yaml"] == before["prod/apim-values.yaml"] {
		t.Fatalf("annotations %v: want one per APIM and MI overlay, different per environment", before)
	}
	// Another snippet changes no Secret: the pods need not roll.
	testkit.SetFile(b, "dev/mi/deployment.snippet.toml", append(testkit.FileOf(t, b, "dev/mi/deployment.snippet.toml"), "# edited\n"...))
	if after := annotations(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a snippet changed the annotations:\n%v\n%v", before, after)
	}
	// A store changes (renew): that product's annotation, and only it.
	store := "dev/mi/repository/resources/security/tls.jks"
	testkit.SetFile(b, store, append(testkit.FileOf(t, b, store), 0))
	after := annotations()
	for file, v := range before {
		if changed := after[file] != v; changed != (file == "dev/mi-values.yaml") {
			t.Errorf("%s: annotation changed %v after %s changed", file, changed, store)
		}
	}
}

// TestOverlaysCharts: Overlays gives the chart of each overlay, and
// IsOverlay knows an overlay from a snippet.
func TestOverlaysCharts(t *testing.T) {
	b, err := emit.Build(testkit.Plan(t, helmTopology), emit.BuildOptions{Rand: testkit.Rand(7), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	out, charts, err := Overlays(b, Options{APIMChart: APIMKeyManager})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"dev/iam": "wso2/identity-server --version 7.1.0-3", "dev/apim": "wso2/wso2am-km --version 4.7.0-1", "dev/mi": "wso2/mi --version 4.6.0-0",
		"prod/iam": "wso2/identity-server --version 7.1.0-3", "prod/apim": "wso2/wso2am-km --version 4.7.0-1", "prod/mi": "wso2/mi --version 4.6.0-0",
	}
	if !maps.Equal(charts, want) {
		t.Errorf("charts = %v, want %v", charts, want)
	}
	for _, f := range out {
		if !IsOverlay(f.Data) {
			t.Errorf("%s: IsOverlay = false", f.Path)
		}
	}
	if IsOverlay([]byte("# wso2ks: keystores for WSO2 Identity Server 7.1.0, product \"iam\", environment \"dev\".\n")) {
		t.Error("a snippet's header read as an overlay's")
	}
}
