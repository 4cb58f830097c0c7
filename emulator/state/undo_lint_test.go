package state

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
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
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var problems []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || undoExempt[name] {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || keepsBillingFirst(fn) || isBillingStateMethod(fn) {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if what := directWrite(n); what != "" {
					problems = append(problems, fset.Position(n.Pos()).String()+": "+what+" in "+fn.Name.Name)
				}
				return true
			})
		}
	}
	require.Empty(t, problems, "state changes that bypass the undo helpers (setKey, deleteKey, addID, removeID)")
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
