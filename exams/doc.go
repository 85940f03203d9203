// Package exams holds the pure rules of the district's unified pre-job training
// exam (rules T-1, T-3 of seed/RULES.md: every proposed hire must pass it, and
// whoever does not pass must not be hired) and of the yearly refresher exam
// (rule T-4: legal knowledge, skills, discipline, professional ethics).
//
// Like screening, everything here is a pure function over plain values: no
// database, no HTTP, no Store, no clock and no package-level mutable state.
// Time ("now", a window's end) and randomness (a seed) are parameters. The exam
// service builds storage, pages and the API on top of it.
//
// # Areas
//
//   - Questions (question.go): categories, the five types, difficulty,
//     Validate with per-field Chinese messages, a content Hash for versioning.
//   - Fill-in normalisation (normalize.go): how a typed blank is compared.
//   - Blueprints (blueprint.go): cells of category × type × difficulty ×
//     count × points, the pass mark, the duration, the multiple-choice policy,
//     shuffling, and the bank check that names every short cell.
//   - Papers (paper.go, rng.go): a candidate's own deterministic draw,
//     question order and option order from a seed; the sealed snapshot; the
//     candidate view, a separate type that has no field for a key.
//   - Grading (grade.go, marking.go): automatic grading, double marking of
//     short answers, regrading with a corrected key, pass/fail.
//   - Attempts (timing.go, save.go, receipt.go): the attempt clock, the save
//     ordering decision, the answer receipt.
//   - Item statistics (stats.go) after grading.
//   - The question-bank workbook (xlsx.go): template, import, export.
//   - The demo bank and blueprint (demo.go, demo_bank.go).
//
// # Scores
//
// Points and scores are int64 hundredths of a point, as in screening
// (screening.FormatScore(250) is "2.50"); no float ever decides a result.
// Where a share of the points is awarded, the share is rounded down to the
// hundredth (floor(points × k / n)); a full answer always gets exactly the
// question's points.
//
// Messages meant for trainers and candidates are Simplified Chinese.
package exams
