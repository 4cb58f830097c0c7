package state

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// undoExempt are the files allowed to change the state's maps and id sets
// directly: the undo helpers themselves, the code that builds a new state
// (a clone, presized maps), the invariant checker's own scratch maps, and
// the id set's methods.
var undoExempt = map[string]bool{
	"undo.go": true, "clone.go": true, "billing_clone.go": true, "presize.go": true, "check.go": true, "idset.go": true,
}

// Every change the state makes must go through the undo helpers (undo.go),
// or a reset would not take it back. This reads the package's source and
// refuses a direct write to a map or an id set held in a field
// (`p.assignmentsByOwner[k] = v`, `delete(c.selfPayers, k)`,
// `c.assignmentIDs.add(id)`, `x.tree.Set(id)`) outside the exempt files,
// except in the functions that save the billing state whole first
// (`s.keepBilling()` as their first statement) and in billingState's own
// methods (which only those functions reach). The reset check that every
// test server runs at its end catches what this misses (a write through a
// local alias of a map), for the paths the tests take.
func TestStateChangesGoThroughTheUndoLog(t *testing.T) {
	var problems []string
	eachStateFunc(t, func(fset *token.FileSet, fn *ast.FuncDecl) {
		if keepsBillingFirst(fn) || isBillingStateMethod(fn) {
			return
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if what := directWrite(n); what != "" {
				problems = append(problems, fset.Position(n.Pos()).String()+": "+what+" in "+fn.Name.Name)
			}
			return true
		})
	})
	require.Empty(t, problems, "state changes that bypass the undo helpers (setKey, deleteKey, addID, removeID)")
}

// eachStateFunc calls visit with every function of the package's source
// outside the exempt files and the tests.
func eachStateFunc(t *testing.T, visit func(fset *token.FileSet, fn *ast.FuncDecl)) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || undoExempt[name] {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
				visit(fset, fn)
			}
		}
	}
}

// entityTypes are the state's entities: a function that changes one it
// was given in place must keep it first.
var entityTypes = map[string]bool{
	"Partner": true, "Customer": true, "AWSAccount": true, "Assignment": true, "AzureAccount": true,
	"GovcloudLinkage": true, "Block": true,
}

// An entity a function is given (a parameter of pointer-to-entity type) is
// changed in place only after keep(s, x) or keep(s, &x.field) earlier in the
// same function, so that a reset restores its fields. Functions that add
// an entity (Add..., Create...) set the fields of the one they store, and
// the billing functions save the billing state whole, so neither is held
// to it.
func TestEntityChangesAreKeptFirst(t *testing.T) {
	var problems []string
	eachStateFunc(t, func(fset *token.FileSet, fn *ast.FuncDecl) {
		if keepsBillingFirst(fn) || strings.HasPrefix(fn.Name.Name, "Add") || strings.HasPrefix(fn.Name.Name, "Create") {
			return
		}
		entities := entityParams(fn)
		kept := map[string]token.Pos{} // the first keep of each, by name
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if root := keptRoot(n); root != "" {
				if _, ok := kept[root]; !ok {
					kept[root] = n.Pos()
				}
			}
			for _, root := range changedRoots(n) {
				if at, ok := kept[root]; entities[root] && (!ok || at > n.Pos()) {
					problems = append(problems, fmt.Sprintf("%s: %s changes %s without keep(s, %s) first", fset.Position(n.Pos()), fn.Name.Name, root, root))
				}
			}
			return true
		})
	})
	require.Empty(t, problems)
}

// entityParams are the names of fn's parameters that point to an entity.
func entityParams(fn *ast.FuncDecl) map[string]bool {
	out := map[string]bool{}
	for _, field := range fn.Type.Params.List {
		star, ok := field.Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		if id, ok := star.X.(*ast.Ident); ok && entityTypes[id.Name] {
			for _, n := range field.Names {
				out[n.Name] = true
			}
		}
	}
	return out
}

// keptRoot is x when n is keep(s, x) or keep(s, &x.field...).
func keptRoot(n ast.Node) string {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return ""
	}
	if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "keep" {
		return ""
	}
	arg := call.Args[1]
	if u, ok := arg.(*ast.UnaryExpr); ok && u.Op == token.AND {
		arg = u.X
	}
	return rootName(arg)
}

// changedRoots are the variables whose fields n assigns (x.f = ..., *x =
// ..., x.f++).
func changedRoots(n ast.Node) []string {
	var lhs []ast.Expr
	switch n := n.(type) {
	case *ast.AssignStmt:
		lhs = n.Lhs
	case *ast.IncDecStmt:
		lhs = []ast.Expr{n.X}
	}
	var out []string
	for _, e := range lhs {
		switch e := e.(type) {
		case *ast.SelectorExpr:
			out = append(out, rootName(e))
		case *ast.StarExpr:
			out = append(out, rootName(e.X))
		}
	}
	return out
}

// rootName is the variable a selector chain starts from (x of x.f.g).
func rootName(e ast.Expr) string {
	for {
		switch v := e.(type) {
		case *ast.Ident:
			return v.Name
		case *ast.SelectorExpr:
			e = v.X
		default:
			return ""
		}
	}
}

// directWrite describes n when it writes a field's map or id set directly.
func directWrite(n ast.Node) string {
	switch n := n.(type) {
	case *ast.AssignStmt:
		for _, lhs := range n.Lhs {
			if ix, ok := lhs.(*ast.IndexExpr); ok && isField(ix.X) {
				return "a map write"
			}
		}
	case *ast.IncDecStmt:
		if ix, ok := n.X.(*ast.IndexExpr); ok && isField(ix.X) {
			return "a map increment"
		}
	case *ast.CallExpr:
		if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "delete" && len(n.Args) > 0 && isField(n.Args[0]) {
			return "a map delete"
		}
		if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
			switch sel.Sel.Name {
			case "add", "remove":
				if isField(sel.X) {
					return "an id set change"
				}
			case "Set", "Delete":
				if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "tree" {
					return "an id set change"
				}
			}
		}
	}
	return ""
}

// isField reports whether e is a field of something (x.f), as the state's
// maps and id sets are, rather than a local variable.
func isField(e ast.Expr) bool {
	_, ok := e.(*ast.SelectorExpr)
	return ok
}

// keepsBillingFirst reports whether fn's first statement is
// s.keepBilling().
func keepsBillingFirst(fn *ast.FuncDecl) bool {
	if len(fn.Body.List) == 0 {
		return false
	}
	stmt, ok := fn.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := stmt.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "keepBilling"
}

// isBillingStateMethod reports whether fn is a method of billingState.
func isBillingStateMethod(fn *ast.FuncDecl) bool {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return false
	}
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	id, ok := typ.(*ast.Ident)
	return ok && id.Name == "billingState"
}
