package emulator

// The first ids a create gets on the default fixtures: one past the largest
// of each collection (the version 2 customer's blocks hold assignments 5-10,
// and their members' customer AWS accounts are 207-212).
const (
	newAssignmentID = 11
	newAWSAccountID = 213
	newCustomerID   = 9
)
