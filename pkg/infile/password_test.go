package infile

import "testing"

// TestFirstLine: a password file's first line ends where Java's BufferedReader.readLine ends
// it: at "\n", "\r\n" or a lone "\r".
func TestFirstLine(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"no line ending", "Secret-pass-1", "Secret-pass-1"},
		{"LF", "Secret-pass-1\nsecond", "Secret-pass-1"},
		{"CRLF", "Secret-pass-1\r\nsecond\r\n", "Secret-pass-1"},
		{"lone CR", "Secret-pass-1\rsecond", "Secret-pass-1"},
		{"CR at the end", "Secret-pass-1\r", "Secret-pass-1"},
		{"LF CR", "Secret-pass-1\n\r", "Secret-pass-1"},
		{"spaces kept", " Secret pass\t\n", " Secret pass\t"},
		{"empty first line", "\nSecret-pass-1\n", ""},
		{"empty file", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FirstLine([]byte(tc.data)); got != tc.want {
				t.Errorf("FirstLine(%q) = %q, want %q", tc.data, got, tc.want)
			}
		})
	}
}
