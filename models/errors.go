package models

import (
	"errors"
	"fmt"
)

// The error vocabulary. Services wrap one of these kinds in an *Error with a user-safe message;
// handlers map the kind to an HTTP status in one table and render the message.
var (
	ErrNotFound        = errors.New("not found")
	ErrInvalid         = errors.New("invalid")
	ErrConflict        = errors.New("conflict")
	ErrForbidden       = errors.New("forbidden")
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrRateLimited     = errors.New("rate limited")
)

// Error is an error a user may see: a kind from the vocabulary, a machine-readable code, a message
// in Chinese and, for forms, messages per field.
type Error struct {
	Kind    error
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string { return e.Message }

// Unwrap lets errors.Is(err, ErrInvalid) see the kind.
func (e *Error) Unwrap() error { return e.Kind }

// E builds a user-facing error.
func E(kind error, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid is a 400-class error with a code and message.
func Invalid(code, format string, args ...any) *Error { return E(ErrInvalid, code, format, args...) }

// NotFound is the error for a missing or invisible object.
func NotFound(what string) *Error { return E(ErrNotFound, "not_found", "%s不存在", what) }

// Forbidden is the error for an action the actor may not take.
func Forbidden(format string, args ...any) *Error {
	return E(ErrForbidden, "forbidden", format, args...)
}

// Conflict is the error for a state clash (duplicate, wrong status).
func Conflict(code, format string, args ...any) *Error { return E(ErrConflict, code, format, args...) }

// FieldErrors collects per-field validation messages.
type FieldErrors map[string]string

// Add records msg for field unless one is recorded already.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil if there are no messages, else an ErrInvalid *Error listing them.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: ErrInvalid, Code: "invalid_input", Message: "提交的内容有误，请按提示修改后重试", Fields: f}
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
