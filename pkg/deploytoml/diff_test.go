package deploytoml

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDiffLinesMinimal checks Myers' script against a dynamic-programming
// LCS on random inputs: the script turns a into b, and it is the shortest.
func TestDiffLinesMinimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func() []string {
		s := make([]string, rng.IntN(12))
		for i := range s {
			s[i] = string(rune('a' + rng.IntN(3)))
		}
		return s
	}
	for range 3000 {
		a, b := gen(), gen()
		ops := diffLines(a, b)
		var got []string
		edits, ai, bi := 0, 0, 0
		for _, op := range ops {
			switch op.kind {
			case ' ':
				if op.a != ai || op.b != bi || a[op.a] != b[op.b] {
					t.Fatalf("%q -> %q: bad keep %+v", a, b, op)
				}
				got = append(got, a[op.a])
				ai, bi = ai+1, bi+1
			case '-':
				if op.a != ai || op.b != bi {
					t.Fatalf("%q -> %q: bad delete %+v", a, b, op)
				}
				ai++
				edits++
			case '+':
				if op.a != ai || op.b != bi {
					t.Fatalf("%q -> %q: bad insert %+v", a, b, op)
				}
				got = append(got, b[op.b])
				bi++
				edits++
			}
		}
		if ai != len(a) || !equalLines(got, b) {
			t.Fatalf("%q -> %q: the script gives %q", a, b, got)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("%q -> %q: %d edits, the shortest has %d", a, b, edits, want)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$`)

// applyUnified applies a unified diff to old the way patch does, strictly:
// hunks in order, line counts as the header says, context and removed
// lines as in old.
func applyUnified(old, diff string) (string, error) {
	a := splitLines([]byte(old))
	lines := splitLines([]byte(diff))
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("no ---/+++ header")
	}
	var out []string
	pos := 0 // next line of a to copy
	i := 2
	for i < len(lines) {
		m := hunkHeader.FindStringSubmatch(lines[i])
		if m == nil {
			return "", fmt.Errorf("line %d: not a hunk header: %q", i+1, lines[i])
		}
		i++
		count := func(s string) int {
			if s == "" {
				return 1
			}
			n, _ := strconv.Atoi(s)
			return n
		}
		oldStart, oldN, newStart, newN := count(m[1]), count(m[2]), count(m[3]), count(m[4])
		if oldN > 0 {
			oldStart-- // 1-based; with no lines it names the line before
		}
		if oldStart < pos {
			return "", fmt.Errorf("hunk at old line %d overlaps the one before", oldStart)
		}
		out = append(out, a[pos:oldStart]...)
		pos = oldStart
		if newN > 0 && newStart-1 != len(out) || newN == 0 && newStart != len(out) {
			return "", fmt.Errorf("hunk +%d: new file is at line %d", newStart, len(out)+1)
		}
		var seenOld, seenNew int
		for seenOld < oldN || seenNew < newN {
			if i >= len(lines) {
				return "", fmt.Errorf("hunk ends early")
			}
			l := lines[i]
			i++
			body := l[1:]
			if i < len(lines) && lines[i] == "\\ No newline at end of file\n" {
				body = strings.TrimSuffix(body, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(a) || a[pos] != body {
					return "", fmt.Errorf("old line %d is %q, the diff says %q", pos+1, a[min(pos, len(a)-1)], body)
				}
				pos++
				seenOld++
				if l[0] == ' ' {
					out = append(out, body)
					seenNew++
				}
			case '+':
				out = append(out, body)
				seenNew++
			default:
				return "", fmt.Errorf("bad hunk line %q", l)
			}
		}
		if seenOld != oldN || seenNew != newN {
			return "", fmt.Errorf("hunk counts -%d +%d, lines -%d +%d", oldN, newN, seenOld, seenNew)
		}
	}
	out = append(out, a[pos:]...)
	return strings.Join(out, ""), nil
}

func TestUnifiedDiffApplies(t *testing.T) {
	pairs := [][2]string{
		{"", "a\n"},
		{"a\n", ""},
		{"a\nb\nc\n", "a\nB\nc\n"},
		{"a\nb", "a\nb\n"},
		{"a\nb\n", "a\nc"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n", "0\n1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n11\n12\n13\n14\n15\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\n3\nx\n5\n6\n7\n8\ny\n10\n"}, // 4 lines apart: one hunk
		{"x\r\ny\r\n", "x\r\nz\r\n"},
	}
	for _, tt := range mergeCases {
		orig := readTestdata(t, tt.deployment)
		merged, _, err := merge(orig, readTestdata(t, tt.snippet))
		if err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, [2]string{string(orig), string(merged)}, [2]string{string(merged), string(orig)})
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		var p [2]string
		for k := range p {
			for range rng.IntN(20) {
				p[k] += string(rune('a'+rng.IntN(3))) + "\n"
			}
			if rng.IntN(4) == 0 {
				p[k] = strings.TrimSuffix(p[k], "\n")
			}
		}
		pairs = append(pairs, p)
	}
	for _, p := range pairs {
		a, b := splitLines([]byte(p[0])), splitLines([]byte(p[1]))
		diff := string(unifiedDiff("f", a, b, a, b))
		if (diff == "") != (p[0] == p[1]) {
			t.Fatalf("%q -> %q: diff %q", p[0], p[1], diff)
		}
		if diff == "" {
			continue
		}
		got, err := applyUnified(p[0], diff)
		if err != nil || got != p[1] {
			t.Fatalf("%q -> %q: applying\n%s gives %q, %v", p[0], p[1], diff, got, err)
		}
	}
	// Hunks are cut where more than six unchanged lines separate changes;
	// this is what GNU diff -u prints.
	a, b := splitLines([]byte(pairs[5][0])), splitLines([]byte(pairs[5][1]))
	diff := string(unifiedDiff("f", a, b, a, b))
	want := "--- f\n+++ f\n@@ -1,9 +1,10 @@\n+0\n 1\n 2\n 3\n 4\n 5\n-6\n+six\n 7\n 8\n 9\n@@ -13,4 +14,3 @@\n 13\n 14\n 15\n-16\n"
	if diff != want {
		t.Errorf("diff:\n%s\nwant (GNU diff -u):\n%s", diff, want)
	}
}

func TestMergeDiffMasks(t *testing.T) {
	old := `[server]
hostname = "localhost"

[super_admin]
username = "admin"
password = "admin"

[keystore.primary]
file_name = "wso2carbon.jks"
password = "wso2carbon"
#key_password = "wso2carbon"

[database.shared_db]
url = "jdbc:h2:./db"
pool = { user = "u", password = "p" }

[secrets]
admin = "old-cipher"`
	new := `[server]
hostname = "localhost"

[super_admin]
username = "admin"
password = "admin"

[keystore.primary]
file_name = "primary.jks"
password = "s3cret-Password-1"
key_password = "$env{WSO2KS_IAM_PRIMARY_PASSWORD}"
trust_password = """
multi
line"""

[database.shared_db]
url = "jdbc:h2:./db"
pool = { user = "u", password = "p" }

[secrets]
admin = "new-cipher"
`
	want := `--- repository/conf/deployment.toml
+++ repository/conf/deployment.toml
@@ -6,13 +6,16 @@
 password = "********"
 
 [keystore.primary]
-file_name = "wso2carbon.jks"
-password = "********"
-#key_password = "********"
+file_name = "primary.jks"
+password = "********"
+key_password = "$env{WSO2KS_IAM_PRIMARY_PASSWORD}"
+trust_password = "********"
+********
+********
 
 [database.shared_db]
 url = "jdbc:h2:./db"
 pool = "********"
 
 [secrets]
-admin = "********"
\ No newline at end of file
+admin = "********"
`
	got := string(MergeDiff("repository/conf/deployment.toml", []byte(old), []byte(new)))
	if got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	for _, secret := range []string{"wso2carbon\"", "s3cret", "cipher", "multi", `"p"`} {
		if strings.Contains(got, secret) {
			t.Errorf("the diff shows %s", secret)
		}
	}
	if d := MergeDiff("x", []byte(new), []byte(new)); d != nil {
		t.Errorf("equal files: diff %q", d)
	}
}
