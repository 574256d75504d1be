//! Sealed periods in a real store (issue 17 §2): an embedded SQLite database
//! holding each sealed period's applied records, results, ruleset hash and
//! engine version, linked by a SHA-256 chain.
