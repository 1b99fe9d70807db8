package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"runtime"
	"sync"
)

// MinRSABits is the smallest RSA key wso2ks makes or accepts (NIST SP 800-57:
// 112-bit security through 2030).
const MinRSABits = 2048

// KeyTypes are the key types wso2ks makes, by topology name.
var KeyTypes = map[string]func() (crypto.Signer, error){
	"rsa-2048":   func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, 2048) },
	"rsa-3072":   func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, 3072) },
	"rsa-4096":   func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, 4096) },
	"ecdsa-p256": func() (crypto.Signer, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) },
	"ecdsa-p384": func() (crypto.Signer, error) { return ecdsa.GenerateKey(elliptic.P384(), rand.Reader) },
}

// GenerateKey makes one key of the named type. Since Go 1.26 key generation
// always draws from the system's secure source, so keys are not injectable.
func GenerateKey(keyType string) (crypto.Signer, error) {
	gen, ok := KeyTypes[keyType]
	if !ok {
		return nil, fmt.Errorf("unknown key type %q", keyType)
	}
	return gen()
}

// GenerateKeys makes one key per entry of keyTypes, on at most workers
// goroutines (all cores when workers < 1), since key generation is nearly
// all the time a bundle takes. done, when not nil, is called after each key
// (from one goroutine at a time).
func GenerateKeys(keyTypes []string, workers int, done func()) ([]crypto.Signer, error) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	keys := make([]crypto.Signer, len(keyTypes))
	errs := make([]error, len(keyTypes))
	jobs := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < min(workers, len(keyTypes)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				keys[i], errs[i] = GenerateKey(keyTypes[i])
				if done != nil {
					mu.Lock()
					done()
					mu.Unlock()
				}
			}
		}()
	}
	for i := range keyTypes {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("generate %s key: %w", keyTypes[i], err)
		}
	}
	return keys, nil
}

// SamePublicKey reports whether a and b are the same public key.
func SamePublicKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}
