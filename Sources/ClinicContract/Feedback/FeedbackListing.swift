import FlowEngine
import Foundation

/// Which ratings the staff want to see. Every field narrows; nil leaves it open.
public struct FeedbackFilter: Sendable, Equatable {
    public var scoreMin: Int?
    public var scoreMax: Int?
    public var doctorID: Int64?
    public var branchID: Int64?
    /// Rated at or after.
    public var from: Date?
    /// Rated before.
    public var to: Date?
    public var hasComment: Bool?
    public var limit = 50
    public var offset = 0
    public init() {}
}

/// One rating as the staff read it: the visit and the doctor, never the patient's name, IIN or
/// phone (the patient's record id is there for the desk to look them up).
public struct FeedbackEntry: Codable, Sendable, Equatable {
    public let id: Int64
    public let appointmentID: Int64
    public let appointmentCode: String
    public let patientID: Int64
    public let doctorID: Int64
    public let doctorName: LocalizedText
    public let branchID: Int64
    public let visitStart: Date
    public let score: Int
    public let comment: String?
    public let source: String
    public let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, score, comment, source
        case appointmentID = "appointment_id"
        case appointmentCode = "appointment_code"
        case patientID = "patient_id"
        case doctorID = "doctor_id"
        case doctorName = "doctor_name"
        case branchID = "branch_id"
        case visitStart = "visit_start"
        case createdAt = "created_at"
    }

    public init(id: Int64, appointmentID: Int64, appointmentCode: String, patientID: Int64, doctorID: Int64, doctorName: LocalizedText, branchID: Int64, visitStart: Date, score: Int, comment: String? = nil, source: String, createdAt: Date) {
        self.id = id
        self.appointmentID = appointmentID
        self.appointmentCode = appointmentCode
        self.patientID = patientID
        self.doctorID = doctorID
        self.doctorName = doctorName
        self.branchID = branchID
        self.visitStart = visitStart
        self.score = score
        self.comment = comment
        self.source = source
        self.createdAt = createdAt
    }
}

public struct FeedbackPage: Codable, Sendable, Equatable {
    public let items: [FeedbackEntry]
    /// All ratings that match, beyond this page too.
    public let total: Int
    public let limit: Int
    public let offset: Int

    public init(items: [FeedbackEntry], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}

/// What became of a rating.
public enum FeedbackRated: Sendable, Equatable {
    /// A score at or below this alerts the staff (0–10: a detractor in NPS terms).
    public static let staffAlertAtOrBelow = 6

    case saved(id: Int64)
    /// The appointment has its rating already: the first one counts.
    case alreadyRated
    /// No such appointment of this patient.
    case notFound
    /// The visit has not begun: there is nothing to rate yet.
    case notYet
}
