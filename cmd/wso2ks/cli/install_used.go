package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// carbonLog is the log every product writes from its first start:
// ${carbon.home}/repository/logs/wso2carbon.log for IS (product-is
// modules/distribution/src/repository/resources/conf/log4j2.properties,
// v7.1.0 l.35) and APIM (product-apim all-in-one-apim/modules/distribution/
// product/src/main/conf/log4j2.properties, v4.5.0 and v4.7.0 l.17), and
// ${sys:logfiles.home}/wso2carbon.log for MI (micro-integrator
// distribution/src/conf/log4j2.properties l.54), whose start script sets
// -Dlogfiles.home="$CARBON_HOME/repository/logs" (distribution/src/scripts/
// micro-integrator.sh, l.314 in v4.3.0, l.356 at 4.4.0-alpha).
const carbonLog = "repository/logs/wso2carbon.log"

// usedHome says how install tells that a home may hold data, or "" for a
// fresh pack: the server has run (its log is not empty), or deployment.toml
// points at a database other than the pack's embedded H2, which other
// nodes may already have written. doc is the parsed deployment.toml.
func usedHome(home string, doc map[string]any) string {
	if st, err := os.Stat(filepath.Join(home, filepath.FromSlash(carbonLog))); err == nil && st.Size() > 0 {
		return carbonLog + " is not empty: the server has run"
	}
	dbs, _ := doc["database"].(map[string]any)
	names := make([]string, 0, len(dbs))
	for name := range dbs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t, _ := dbs[name].(map[string]any)
		typ, _ := t["type"].(string)
		url, _ := t["url"].(string)
		switch {
		case typ != "" && !strings.EqualFold(typ, "h2"):
			return fmt.Sprintf("[database.%s] is a %s database, which other nodes may already have written", name, typ)
		case url != "" && !strings.HasPrefix(strings.ToLower(url), "jdbc:h2:"):
			return fmt.Sprintf("[database.%s] url is not the pack's H2 database: other nodes may already have written it", name)
		}
	}
	return ""
}
