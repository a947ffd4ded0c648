package hdrset

import (
	"bytes"
	"crypto/rand"
	"sync"
	"testing"
)

// TestNonceBytesUnique draws nonces from many goroutines at once (so that
// blocks are refilled and change hands) and checks that no two are equal
// and none is all zeros: a byte of a block is never handed out twice.
func TestNonceBytesUnique(t *testing.T) {
	const goroutines, each = 8, 2000 // 250 refills of a 64-nonce block
	got := make([][NonceBytes]byte, goroutines*each)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				nonceBytes(got[g*each+i][:])
			}
		})
	}
	wg.Wait()
	seen := make(map[[NonceBytes]byte]int, len(got))
	var zero [NonceBytes]byte
	for i, n := range got {
		if n == zero {
			t.Fatalf("nonce %d is all zeros", i)
		}
		if j, ok := seen[n]; ok {
			t.Fatalf("nonces %d and %d are equal: %x", j, i, n)
		}
		seen[n] = i
	}
}

// TestRandomBlockTake checks that a block hands out its bytes in order,
// each once, zeroes what it handed out, and is refilled when used up.
func TestRandomBlockTake(t *testing.T) {
	blk := &randomBlock{off: len(randomBlock{}.b)}
	var first, n [NonceBytes]byte
	blk.take(first[:])
	want := blk.b // after the refill and the first take
	for i := 1; i < len(blk.b)/NonceBytes; i++ {
		next := want[i*NonceBytes : (i+1)*NonceBytes]
		wantNext := bytes.Clone(next)
		blk.take(n[:])
		if !bytes.Equal(n[:], wantNext) {
			t.Fatalf("take %d = %x, want the block's next bytes %x", i, n, wantNext)
		}
		if !bytes.Equal(blk.b[i*NonceBytes:(i+1)*NonceBytes], make([]byte, NonceBytes)) {
			t.Fatalf("take %d left its bytes in the block", i)
		}
	}
	if blk.off != len(blk.b) || blk.b != [len(randomBlock{}.b)]byte{} {
		t.Fatalf("a used-up block: off %d, not all zero: %v", blk.off, blk.b != [len(randomBlock{}.b)]byte{})
	}
	blk.take(n[:])
	if blk.off != NonceBytes || n == [NonceBytes]byte{} || n == first {
		t.Errorf("after refilling: off %d, nonce %x (first %x)", blk.off, n, first)
	}
}

// BenchmarkNonceBytes compares one crypto/rand.Read per nonce with
// nonceBytes, alternating in slices of 256 so that a noisy machine hits
// both alike; it reports each side's ns per nonce.
func BenchmarkNonceBytes(b *testing.B) {
	var dst [NonceBytes]byte
	var perCall, pooled float64
	n := 0
	for b.Loop() {
		t0 := b.Elapsed()
		for range 256 {
			rand.Read(dst[:])
		}
		t1 := b.Elapsed()
		for range 256 {
			nonceBytes(dst[:])
		}
		perCall += float64(t1 - t0)
		pooled += float64(b.Elapsed() - t1)
		n += 256
	}
	b.ReportMetric(perCall/float64(n), "read-ns/nonce")
	b.ReportMetric(pooled/float64(n), "pooled-ns/nonce")
}
