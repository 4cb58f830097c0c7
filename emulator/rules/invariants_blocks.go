package rules

import "github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"

// checkBlocks checks every billing block of every customer against its type.
func checkBlocks(st *state.State, fail func(string, ...any)) {
	for _, c := range st.AllCustomers() {
		p, ok := st.Partner(c.PartnerID)
		if !ok {
			continue
		}
		for _, b := range st.CustomerBlocks(c) {
			for _, e := range CheckBlockShape(st, p, b.Name, b.Type, st.BlockMembers(b)) {
				fail("customer %d: %s", c.ID, e)
			}
		}
	}
}
