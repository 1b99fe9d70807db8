package testca

import "math/rand/v2"

// Rand is a deterministic source of randomness for tests: the same seed
// gives the same keys, serials and passwords. It imports nothing of the
// module, so that the internal tests of certs, keystore and gen can use it
// too (testkit.Rand is the same).
func Rand(seed byte) *rand.ChaCha8 {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}
