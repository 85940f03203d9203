package permits

// PostOf is postOf for the tests.
var PostOf = postOf
