// Command apicount counts the exported funcs, types, methods and vars
// (constants aside) of the public packages under a module root: every
// package but main packages, internal/, cmd/, bench/, examples/, e2e/ and
// testdata. Methods of unexported types are not counted.
//
//	go run ./internal/cmd/apicount .     # the table
//	go run ./internal/cmd/apicount . -v  # and every name
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	root := os.Args[1]
	verbose := len(os.Args) > 2
	counts := map[string][4]int{}
	var names []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			if strings.Contains(rel, "internal") || strings.HasPrefix(rel, "cmd") || strings.HasPrefix(rel, "bench") || strings.HasPrefix(rel, "examples") || strings.HasPrefix(rel, "e2e") || strings.Contains(rel, "testdata") || strings.HasPrefix(rel, ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" {
			return nil
		}
		pkg, _ := filepath.Rel(root, filepath.Dir(p))
		c := counts[pkg]
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv != nil {
					t := d.Recv.List[0].Type
					if s, ok := t.(*ast.StarExpr); ok {
						t = s.X
					}
					if ix, ok := t.(*ast.IndexExpr); ok {
						t = ix.X
					}
					if id, ok := t.(*ast.Ident); ok && !id.IsExported() {
						continue
					}
					c[2]++
					names = append(names, pkg+" method "+fmt.Sprint(d.Recv.List[0].Type)+"."+d.Name.Name)
				} else {
					c[0]++
					names = append(names, pkg+" func "+d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							c[1]++
							names = append(names, pkg+" type "+s.Name.Name)
						}
					case *ast.ValueSpec:
						if d.Tok == token.VAR {
							for _, n := range s.Names {
								if n.IsExported() {
									c[3]++
									names = append(names, pkg+" var "+n.Name)
								}
							}
						}
					}
				}
			}
		}
		counts[pkg] = c
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "apicount:", err)
		os.Exit(1)
	}
	var tot [4]int
	var pkgs []string
	for k := range counts {
		pkgs = append(pkgs, k)
	}
	sort.Strings(pkgs)
	fmt.Printf("%-12s %5s %5s %7s %4s %5s\n", "package", "funcs", "types", "methods", "vars", "total")
	for _, k := range pkgs {
		c := counts[k]
		fmt.Printf("%-12s %5d %5d %7d %4d %5d\n", k, c[0], c[1], c[2], c[3], c[0]+c[1]+c[2]+c[3])
		for i := range tot {
			tot[i] += c[i]
		}
	}
	fmt.Printf("%-12s %5d %5d %7d %4d %5d\n", "all", tot[0], tot[1], tot[2], tot[3], tot[0]+tot[1]+tot[2]+tot[3])
	if verbose {
		sort.Strings(names)
		for _, n := range names {
			fmt.Println(n)
		}
	}
}
