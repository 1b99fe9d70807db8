package helm

import (
	"bytes"
	"fmt"
	"path"
	"strings"
)

// header is the comment that opens the overlay: the chart it is for, how to
// install it, and what the chart leaves to the user.
func (o *overlay) header(namespace string) []byte {
	var b bytes.Buffer
	file := path.Join(o.p.Env, o.p.Name+"-values.yaml")
	comment := func(text string) {
		for _, line := range wrap(text, 76) {
			b.WriteString(strings.TrimRight("# "+line, " ") + "\n")
		}
	}
	// The first line is one line, whatever its length, like a snippet's.
	fmt.Fprintf(&b, overlayMark+"%s Helm chart %s, product %q, environment %q.\n", o.chart.Name, o.chart.Version, o.p.Name, o.p.Env)
	comment(fmt.Sprintf("The release deploys %s %s; wso2ks read it at %s.", o.chart.Kind.Title(), o.chart.Product, o.chart.Source))
	if o.secret {
		comment("THIS FILE HOLDS PASSWORDS: mode 0600, keep it out of git (docs/kubernetes.md says how).")
	} else {
		comment("This file holds no password: the chart reads them from the Secrets it names.")
	}
	comment("From the directory that holds " + o.p.Env + "/, apply the Secrets, then install the chart with this file (the same command upgrades the release after the stores change):")
	b.WriteString("#   kubectl apply -f " + o.p.Env + "/\n")
	b.WriteString("#   helm repo add wso2 https://helm.wso2.com\n")
	b.WriteString("#   " + UpgradeCommand("RELEASE", o.chart.Ref(), namespace, file) + "\n")
	for _, n := range o.notes {
		b.WriteString("#\n")
		comment(n)
	}
	return b.Bytes()
}

// renewNote adds the note on what to do after renew or rotate: rewrite
// the Secrets and the overlay, apply, and upgrade the release, which rolls
// the pods through StoresHashAnnotation; restart is the command that rolls
// them when the chart takes no pod annotation ("": it takes one).
func (o *overlay) renewNote(restart string) {
	const after = "'wso2ks renew' or 'wso2ks rotate', rewrite the Secrets and this file ('wso2ks k8s BUNDLE_DIR --helm --force'), kubectl apply, "
	if restart == "" {
		o.notes = append(o.notes, "After "+after+"and helm upgrade with this file: the pod annotation "+StoresHashAnnotation+" changes with the stores and rolls the pods.")
		return
	}
	o.notes = append(o.notes, "The chart takes no pod annotation: after "+after+"helm upgrade with this file, then '"+restart+
		"': the chart mounts each store with subPath, which Kubernetes never updates in a running pod.")
}

// wrap breaks text into lines of at most width bytes at spaces (a longer
// word stands on its own line).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// overlayMark opens an overlay's first line (header).
const overlayMark = "# wso2ks: values for WSO2's "

// IsOverlay reports whether data is a values overlay wso2ks wrote, by its
// first line.
func IsOverlay(data []byte) bool { return bytes.HasPrefix(data, []byte(overlayMark)) }

// UpgradeCommand is the helm command that installs release of chart
// ("wso2/mi --version 4.6.0-0") with the overlay file in namespace (none:
// helm's current one), or upgrades the release when it exists: the one
// command of the overlay's header, wso2ks's next steps and the README.
// --reuse-values keeps what the user set with --set or another -f (the
// APIM image) when an upgrade brings a new overlay.
func UpgradeCommand(release, chart, namespace, file string) string {
	ns := ""
	if namespace != "" {
		ns = " -n " + namespace
	}
	return fmt.Sprintf("helm upgrade --install %s %s%s --reuse-values -f %s", release, chart, ns, file)
}
