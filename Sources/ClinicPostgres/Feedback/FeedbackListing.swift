import Foundation
import PostgresNIO

extension FeedbackStore {
    /// Ratings matching `filter`, newest first, one page.
    public func list(_ filter: FeedbackFilter) async throws -> FeedbackPage {
        // One statement whatever the filter: an absent value turns its condition off.
        let rows = try await client.query("""
            SELECT f.id, f.appointment_id, a.code, f.patient_id, f.doctor_id, d.full_name_ru, d.full_name_kk, a.branch_id,
                   a.starts_at, f.score::int, f.comment, f.source, f.created_at, count(*) OVER ()::int
            FROM bot_feedback f
            JOIN appointments a ON a.id = f.appointment_id
            JOIN doctors d ON d.id = f.doctor_id
            WHERE (\(filter.scoreMin)::int IS NULL OR f.score >= \(filter.scoreMin))
              AND (\(filter.scoreMax)::int IS NULL OR f.score <= \(filter.scoreMax))
              AND (\(filter.doctorID)::bigint IS NULL OR f.doctor_id = \(filter.doctorID))
              AND (\(filter.branchID)::bigint IS NULL OR a.branch_id = \(filter.branchID))
              AND (\(filter.from)::timestamptz IS NULL OR f.created_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR f.created_at < \(filter.to))
              AND (\(filter.hasComment)::boolean IS NULL OR (f.comment IS NOT NULL) = \(filter.hasComment))
            ORDER BY f.created_at DESC, f.id DESC
            LIMIT \(filter.limit) OFFSET \(filter.offset)
            """, logger: logger).collect()
        var total = 0
        var items: [FeedbackEntry] = []
        for row in rows {
            let (id, appointment, code, patient, doctor, nameRU, nameKK, branch, start, score, comment, source, created, count) =
                try row.decode((Int64, Int64, String, Int64, Int64, String, String, Int64, Date, Int, String?, String, Date, Int).self)
            total = count
            items.append(FeedbackEntry(id: id, appointmentID: appointment, appointmentCode: code, patientID: patient, doctorID: doctor,
                                       doctorName: LocalizedText(ru: nameRU, kk: nameKK), branchID: branch, visitStart: start,
                                       score: score, comment: comment, source: source, createdAt: created))
        }
        if items.isEmpty && filter.offset > 0 {
            // Past the last page: the first page's row still carries the total.
            var first = filter
            first.offset = 0
            first.limit = 1
            total = try await list(first).total
        }
        return FeedbackPage(items: items, total: total, limit: filter.limit, offset: filter.offset)
    }
}
