package emulator

// apiHandlers maps each operationId of openapi.yaml to its handler: one map
// per endpoint family, each kept beside its handlers.
func apiHandlers() map[string]handler {
	all := map[string]handler{}
	for _, family := range []map[string]handler{assignmentHandlers, assignmentV2Handlers, externalIDHandlers, azureHandlers, govcloudHandlers,
		customerHandlers, awsAccountHandlers, statementHandlers, priceBookHandlers} {
		for id, h := range family {
			all[id] = h
		}
	}
	return all
}
