package state

// IDsLeft is how many more ids the state can hand out before its fullest
// counter passes MaxID (2^53 - 1): a create must not answer an id that a
// JavaScript client cannot hold exactly.
func (s *State) IDsLeft() int64 {
	top := max(s.lastPartnerID, s.lastCustomerID, s.lastClientAPIID, s.lastAWSAccountID,
		s.lastAssignmentID, s.lastLinkageID, s.billing.lastBookID, s.billing.lastAsgID, s.billing.lastAcctAsgID)
	return MaxID - top
}

// IDsOneRequestMayTake bounds the ids one create request can take from a
// counter: two (an entity and the AWS account or client_api_id that comes
// with it), or, for a version 2 batch, two per member, and a batch's members
// are accounts of the partner, whose number the state knows.
func (s *State) IDsOneRequestMayTake() int64 {
	return 2*int64(len(s.awsAccounts)) + 16
}
