package models

import (
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// LogErr returns err's text fit for a log line. A MySQL/MariaDB error's message may quote the
// values of the statement that failed ("Duplicate entry '13800138000' for key …", "Incorrect
// string value: '…'", "Incorrect datetime value: '1990-02-30'"): phone numbers, names, birth
// dates. Logs never carry a bound value (DESIGN.md, Personal data), so each such message is
// replaced by the error's number and SQLSTATE, which is what an operator needs to look it up.
// Every place that logs an error logs LogErr(err), never err itself.
func LogErr(err error) string {
	if err == nil {
		return ""
	}
	text := err.Error()
	for _, me := range mysqlErrors(err, nil) {
		safe := fmt.Sprintf("mysql error %d (SQLSTATE %s, message withheld)", me.Number, me.SQLState[:])
		switch {
		case strings.Contains(text, me.Error()):
			text = strings.ReplaceAll(text, me.Error(), safe)
		case me.Message != "" && strings.Contains(text, me.Message):
			text = strings.ReplaceAll(text, me.Message, "message withheld")
		default:
			// Some wrapper rewrote the text: the driver's words may be in it in any form, so
			// none of the text is kept.
			return safe
		}
	}
	return text
}

// redactedError is an error whose text is LogErr's; errors.Is and errors.As still see the
// original (gorm's logger asks whether it is ErrRecordNotFound).
type redactedError struct{ err error }

func (e redactedError) Error() string { return LogErr(e.err) }
func (e redactedError) Unwrap() error { return e.err }

// mysqlErrors collects every *mysql.MySQLError in err's tree (errors.Join included).
func mysqlErrors(err error, acc []*mysql.MySQLError) []*mysql.MySQLError {
	switch e := err.(type) {
	case nil:
		return acc
	case *mysql.MySQLError:
		return append(acc, e)
	case interface{ Unwrap() []error }:
		for _, x := range e.Unwrap() {
			acc = mysqlErrors(x, acc)
		}
		return acc
	case interface{ Unwrap() error }:
		return mysqlErrors(e.Unwrap(), acc)
	}
	return acc
}
