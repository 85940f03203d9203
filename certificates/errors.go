package certificates

import "errors"

// ErrInvalid is wrapped by every error that refuses a document's data: a required field left
// empty, an end before a start, text too long for its place on the page. Its message, and the
// context around it, are in Chinese, for the admin who issued the batch.
var ErrInvalid = errors.New("证件信息有误")
