package emulator

import "unicode/utf8"

// msgBodyNotUTF8 is the 422 of a request body that is not valid UTF-8.
const msgBodyNotUTF8 = "the request body is not valid UTF-8"

// checkBodyText refuses (422) a request body that is not valid UTF-8, before
// it is decoded: encoding/json would replace each invalid byte with U+FFFD
// and the string would be stored changed. A NUL decodes fine (\u0000) and is
// refused field by field by the rules (rules.Text).
func checkBodyText(data []byte) error {
	if !utf8.Valid(data) {
		return unprocessable(msgBodyNotUTF8)
	}
	return nil
}
