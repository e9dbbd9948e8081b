//! Words for an import's progress and result.

use dialdesk_contract::{ImportIssue, ImportReport};

/// `line 4, column "Phone": reason`, or `line 4: reason` without a column.
pub fn describe_issue(issue: &ImportIssue) -> String {
    match &issue.column {
        Some(column) => format!("line {}, column \"{column}\": {}", issue.line, issue.reason),
        None => format!("line {}: {}", issue.line, issue.reason),
    }
}

/// One line summing up an import.
pub fn summary(report: &ImportReport) -> String {
    let kept = match report.kept.len() {
        0 => String::new(),
        1 => "; 1 edit made in dialdesk kept".to_owned(),
        n => format!("; {n} edits made in dialdesk kept"),
    };
    format!(
        "Imported {} ({} new, {} updated); {} rejected, {} with warnings{kept}",
        report.created + report.updated,
        report.created,
        report.updated,
        report.rejected.len(),
        report.warnings.len()
    )
}

/// Whole percent of `part` in `whole` (0 while `whole` is unknown).
pub fn percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    let share = u128::from(part.min(whole)) * 100 / u128::from(whole);
    u64::try_from(share).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_name_their_line_and_column() {
        let with_column = ImportIssue {
            line: 4,
            column: Some("Phone".into()),
            reason: "not a valid phone number in US".into(),
        };
        assert_eq!(
            describe_issue(&with_column),
            "line 4, column \"Phone\": not a valid phone number in US"
        );
        let without = ImportIssue {
            column: None,
            ..with_column
        };
        assert_eq!(
            describe_issue(&without),
            "line 4: not a valid phone number in US"
        );
    }

    #[test]
    fn summary_and_percent() {
        let report = ImportReport {
            created: 2,
            updated: 1,
            rejected: vec![ImportIssue {
                line: 3,
                column: None,
                reason: "x".into(),
            }],
            warnings: Vec::new(),
            kept: Vec::new(),
        };
        assert_eq!(
            summary(&report),
            "Imported 3 (2 new, 1 updated); 1 rejected, 0 with warnings"
        );
        let kept = ImportReport {
            kept: report.rejected.clone(),
            ..report
        };
        assert_eq!(
            summary(&kept),
            "Imported 3 (2 new, 1 updated); 1 rejected, 0 with warnings; 1 edit made in \
             dialdesk kept"
        );
        assert_eq!(percent(5, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(7, 5), 100);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
    }
}
