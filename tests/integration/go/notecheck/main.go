package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/note"
)

func main() {
	verifier, err := note.NewVerifier(os.Args[1])
	if err != nil {
		fmt.Println("bad key:", err)
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Println("read:", err)
		os.Exit(2)
	}
	n, err := note.Open(data, note.VerifierList(verifier))
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	fmt.Printf("verified %d, unverified %d\n%s", len(n.Sigs), len(n.UnverifiedSigs), n.Text)
}
