package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type folderTiles struct{ dir string }

func (f folderTiles) Height() int { return 8 }

func (f folderTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, t := range tiles {
		b, err := os.ReadFile(filepath.Join(f.dir, strings.Replace(t.Path(), "tile/8/", "tile/", 1)))
		if err != nil {
			return nil, err
		}
		data[i] = b
	}
	return data, nil
}

func (f folderTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func fail(format string, args ...any) {
	fmt.Printf(format+"\n", args...)
	os.Exit(1)
}

// checkpoint opens a signed checkpoint and returns its tree.
func checkpoint(data []byte, verifier note.Verifier) tlog.Tree {
	n, err := note.Open(data, note.VerifierList(verifier))
	if err != nil {
		fail("open: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("size: %v", err)
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("root: %v", err)
	}
	return tlog.Tree{N: size, Hash: root}
}

func main() {
	verifier, err := note.NewVerifier(os.Args[1])
	if err != nil {
		fail("key: %v", err)
	}
	dir := os.Args[2]
	data, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		fail("read: %v", err)
	}
	tree := checkpoint(data, verifier)
	hashes := tlog.TileHashReader(tree, folderTiles{dir})
	root, err := tlog.TreeHash(tree.N, hashes)
	if err != nil || root != tree.Hash {
		fail("tree hash: %v", err)
	}
	// Every entry of every bundle hashes to its leaf, as the tiles give it.
	for start := int64(0); start < tree.N; start += 256 {
		width := tree.N - start
		if width > 256 {
			width = 256
		}
		t := tlog.Tile{H: 8, L: 0, N: start / 256, W: int(width)}
		bundle, err := os.ReadFile(filepath.Join(dir, strings.Replace(t.Path(), "tile/8/0/", "tile/entries/", 1)))
		if err != nil {
			fail("bundle: %v", err)
		}
		for i := int64(0); i < width; i++ {
			size := int(binary.BigEndian.Uint16(bundle))
			entry := bundle[2 : 2+size]
			bundle = bundle[2+size:]
			leaf, err := hashes.ReadHashes([]int64{tlog.StoredHashIndex(0, start+i)})
			if err != nil || leaf[0] != tlog.RecordHash(entry) {
				fail("entry %d does not hash to its leaf", start+i)
			}
		}
	}
	// Each proof file: its entry is included in its checkpoint's tree.
	for _, path := range os.Args[3:] {
		text, err := os.ReadFile(path)
		if err != nil {
			fail("read: %v", err)
		}
		head, signed, _ := bytes.Cut(text, []byte("\n\n"))
		lines := strings.Split(string(head), "\n")
		if lines[0] != "c2sp.org/tlog-proof@v1" {
			fail("not a proof: %s", path)
		}
		entry, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(lines[1], "extra "))
		index, _ := strconv.ParseInt(strings.TrimPrefix(lines[2], "index "), 10, 64)
		var proof tlog.RecordProof
		for _, line := range lines[3:] {
			h, err := tlog.ParseHash(line)
			if err != nil {
				fail("proof hash: %v", err)
			}
			proof = append(proof, h)
		}
		proved := checkpoint(signed, verifier)
		if err := tlog.CheckRecord(proof, proved.N, proved.Hash, index, tlog.RecordHash(entry)); err != nil {
			fail("proof %s: %v", path, err)
		}
	}
	fmt.Printf("ok %d\n", tree.N)
}
