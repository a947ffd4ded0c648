package report

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
)

// Size of the de-duplication set: at most reportDedupShards × 2 generations ×
// reportDedupPerShard remembered reports (32768, under 1 MiB).
const (
	reportDedupShards   = 16
	reportDedupPerShard = 1 << 10
)

// reportDedup remembers the hashes of recent reports for a window.
//
// Each shard keeps two generations of hash → first-seen time. The current
// generation becomes the previous one every window, or early when it is
// full, so memory is bounded; a hash is a duplicate while its first sighting,
// in either generation, is younger than the window. Under a flood of distinct
// reports the early turn-over forgets some of them sooner: duplicates may
// then get through, memory never grows.
//
// It is safe for concurrent use.
type reportDedup struct {
	window int64 // nanoseconds
	seed   maphash.Seed
	shards [reportDedupShards]reportDedupShard
}

type reportDedupShard struct {
	mu        sync.Mutex
	cur, prev map[uint64]int64
	started   int64 // clock reading when cur became current
	_         [24]byte
}

func newReportDedup(window int64) *reportDedup {
	d := &reportDedup{window: window, seed: maphash.MakeSeed()}
	for i := range d.shards {
		d.shards[i].cur = make(map[uint64]int64)
		d.shards[i].prev = make(map[uint64]int64)
	}
	return d
}

// seen reports whether key was first seen less than a window before now;
// if not, it records key as seen now.
func (d *reportDedup) seen(key uint64, now int64) bool {
	s := &d.shards[key%reportDedupShards]
	s.mu.Lock()
	defer s.mu.Unlock()
	if now-s.started >= d.window || len(s.cur) >= reportDedupPerShard {
		s.prev, s.cur = s.cur, s.prev
		clear(s.cur) // keeps its buckets: no allocation in steady state
		s.started = now
	}
	if t, ok := s.cur[key]; ok && now-t < d.window {
		return true
	}
	if t, ok := s.prev[key]; ok && now-t < d.window {
		return true
	}
	s.cur[key] = now
	return false
}

// forget removes key, so that a report that could not be queued is not
// counted as seen.
func (d *reportDedup) forget(key uint64) {
	s := &d.shards[key%reportDedupShards]
	s.mu.Lock()
	delete(s.cur, key)
	delete(s.prev, key)
	s.mu.Unlock()
}

// reportKey hashes every field of r but Age and UserAgent (and Truncated,
// which follows from the others), each length-prefixed so that field
// boundaries cannot be shifted to forge a collision.
func reportKey(seed maphash.Seed, r *Report) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, s := range [...]string{
		r.Type, r.URL, r.Referrer, r.BlockedURL, r.EffectiveDirective,
		r.ViolatedDirective, r.OriginalPolicy, r.Disposition, r.SourceFile,
		r.Sample, string(r.Raw),
	} {
		reportHashString(&h, s)
	}
	var n [24]byte
	binary.LittleEndian.PutUint64(n[0:], uint64(r.LineNumber))
	binary.LittleEndian.PutUint64(n[8:], uint64(r.ColumnNumber))
	binary.LittleEndian.PutUint64(n[16:], uint64(r.StatusCode))
	h.Write(n[:])
	return h.Sum64()
}

func reportHashString(h *maphash.Hash, s string) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.WriteString(s)
}
