package emit

import (
	"fmt"
	"io"
	"math/big"
)

// passwordAlphabet holds only letters and digits, so a password needs no
// quoting in secrets.env, TOML, a shell or a Java properties file.
const passwordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// passwordLength gives 32 × log2(62) ≈ 190 bits, well past SPEC's 24
// characters.
const passwordLength = 32

// NewPassword draws a password from r, uniformly over passwordAlphabet.
func NewPassword(r io.Reader) (string, error) {
	max := big.NewInt(int64(len(passwordAlphabet)))
	b := make([]byte, passwordLength)
	for i := range b {
		n, err := randInt(r, max)
		if err != nil {
			return "", fmt.Errorf("generate password: %w", err)
		}
		b[i] = passwordAlphabet[n]
	}
	return string(b), nil
}

// randInt is rejection sampling over one byte, so each character is uniform.
func randInt(r io.Reader, max *big.Int) (int, error) {
	limit := 256 - 256%int(max.Int64())
	var one [1]byte
	for {
		if _, err := io.ReadFull(r, one[:]); err != nil {
			return 0, err
		}
		if int(one[0]) < limit {
			return int(one[0]) % int(max.Int64()), nil
		}
	}
}
