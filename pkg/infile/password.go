package infile

import "strings"

// FirstLine is the password a password file holds: its first line, without
// its line ending, which is "\n", "\r\n" or a lone "\r". It is the rule of
// the WSO2 server, which reads the first line of password-tmp and
// password-persist with java.io.BufferedReader.readLine (carbon-kernel,
// core/org.wso2.carbon.securevault/.../DefaultSecretCallbackHandler.java,
// readPassword), so that a file gives wso2ks the password it gives the
// server. Nothing else is trimmed: spaces and tabs are part of the password.
func FirstLine(data []byte) string {
	s := string(data)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}
