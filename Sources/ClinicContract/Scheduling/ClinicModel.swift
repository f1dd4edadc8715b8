import FlowEngine
import Foundation

// The clinic as the bot and the REST API see it. These types are the API's JSON too (field
// names of the original system, snake_case), so the local domain, the REST API and the client
// of a remote clinic share one contract.

/// A text in both of the bot's languages.
public struct LocalizedText: Codable, Sendable, Hashable {
    public var ru: String
    public var kk: String
    public init(ru: String, kk: String) {
        self.ru = ru
        self.kk = kk
    }
    public func text(in language: Language) -> String { language == .kk ? kk : ru }
}

public struct Branch: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: LocalizedText
    public var address: LocalizedText
    public var phone: String
    public var latitude: Double?
    public var longitude: Double?
    public var workingHours: LocalizedText

    enum CodingKeys: String, CodingKey {
        case id, name, address, phone, latitude, longitude
        case workingHours = "working_hours"
    }

    public init(id: Int64, name: LocalizedText, address: LocalizedText, phone: String, latitude: Double? = nil, longitude: Double? = nil, workingHours: LocalizedText) {
        self.id = id
        self.name = name
        self.address = address
        self.phone = phone
        self.latitude = latitude
        self.longitude = longitude
        self.workingHours = workingHours
    }
}

public struct Service: Codable, Sendable, Hashable {
    public var id: Int64
    public var branchID: Int64
    public var name: LocalizedText
    public var durationMinutes: Int
    public var priceTenge: Int
    public var prepaymentRequired: Bool
    /// Covered by ОСМС, the compulsory social health insurance.
    public var osmsCovered: Bool
    public var onlineBooking: Bool

    enum CodingKeys: String, CodingKey {
        case id, name
        case branchID = "branch_id"
        case durationMinutes = "duration_minutes"
        case priceTenge = "price_tenge"
        case prepaymentRequired = "prepayment_required"
        case osmsCovered = "osms_covered"
        case onlineBooking = "online_booking"
    }

    public init(id: Int64, branchID: Int64, name: LocalizedText, durationMinutes: Int, priceTenge: Int, prepaymentRequired: Bool, osmsCovered: Bool, onlineBooking: Bool) {
        self.id = id
        self.branchID = branchID
        self.name = name
        self.durationMinutes = durationMinutes
        self.priceTenge = priceTenge
        self.prepaymentRequired = prepaymentRequired
        self.osmsCovered = osmsCovered
        self.onlineBooking = onlineBooking
    }
}

public struct Doctor: Codable, Sendable, Hashable {
    public var id: Int64
    public var fullName: LocalizedText
    public var specialty: LocalizedText
    public var branchIDs: [Int64]
    public var slotStepMinutes: Int
    public var minGapMinutes: Int
    /// The price of the service asked about, when the doctor charges their own.
    public var priceTenge: Int?

    enum CodingKeys: String, CodingKey {
        case id, specialty
        case fullName = "full_name"
        case branchIDs = "branch_ids"
        case slotStepMinutes = "slot_step_minutes"
        case minGapMinutes = "min_gap_minutes"
        case priceTenge = "price_tenge"
    }

    public init(id: Int64, fullName: LocalizedText, specialty: LocalizedText, branchIDs: [Int64], slotStepMinutes: Int, minGapMinutes: Int, priceTenge: Int? = nil) {
        self.id = id
        self.fullName = fullName
        self.specialty = specialty
        self.branchIDs = branchIDs
        self.slotStepMinutes = slotStepMinutes
        self.minGapMinutes = minGapMinutes
        self.priceTenge = priceTenge
    }
}

/// A free interval a patient can book.
public struct Slot: Codable, Sendable, Hashable {
    public var doctorID: Int64
    public var branchID: Int64
    public var start: Date
    public var end: Date

    enum CodingKeys: String, CodingKey {
        case start, end
        case doctorID = "doctor_id"
        case branchID = "branch_id"
    }

    public init(doctorID: Int64, branchID: Int64, start: Date, end: Date) {
        self.doctorID = doctorID
        self.branchID = branchID
        self.start = start
        self.end = end
    }
}

public enum AppointmentStatus: String, Codable, Sendable, CaseIterable {
    /// A prepaid service's time, kept for the patient until `holdUntil` while they pay; booked
    /// once paid, released (cancelled) if not.
    case held
    case booked, confirmed, arrived, completed, cancelled
    case noShow = "no_show"

    /// Still holding the doctor's time.
    public var isLive: Bool { self != .cancelled }
}

public struct Appointment: Codable, Sendable, Hashable {
    public var id: Int64
    /// A short number a patient can read out at the registry desk.
    public var code: String
    public var patientID: Int64
    public var doctorID: Int64
    public var serviceID: Int64
    public var branchID: Int64
    public var start: Date
    public var end: Date
    public var status: AppointmentStatus
    public var source: String
    public var priceTenge: Int
    public var doctorName: LocalizedText
    public var serviceName: LocalizedText
    public var branchName: LocalizedText
    public var branchAddress: LocalizedText
    /// Until when a held appointment waits for its prepayment.
    public var holdUntil: Date? = nil

    enum CodingKeys: String, CodingKey {
        case id, code, start, end, status, source
        case holdUntil = "hold_until"
        case patientID = "patient_id"
        case doctorID = "doctor_id"
        case serviceID = "service_id"
        case branchID = "branch_id"
        case priceTenge = "price_tenge"
        case doctorName = "doctor_name"
        case serviceName = "service_name"
        case branchName = "branch_name"
        case branchAddress = "branch_address"
    }

    public init(id: Int64, code: String, patientID: Int64, doctorID: Int64, serviceID: Int64, branchID: Int64, start: Date, end: Date, status: AppointmentStatus, source: String, priceTenge: Int, doctorName: LocalizedText, serviceName: LocalizedText, branchName: LocalizedText, branchAddress: LocalizedText, holdUntil: Date? = nil) {
        self.id = id
        self.code = code
        self.patientID = patientID
        self.doctorID = doctorID
        self.serviceID = serviceID
        self.branchID = branchID
        self.start = start
        self.end = end
        self.status = status
        self.source = source
        self.priceTenge = priceTenge
        self.doctorName = doctorName
        self.serviceName = serviceName
        self.branchName = branchName
        self.branchAddress = branchAddress
        self.holdUntil = holdUntil
    }
}

/// A patient's appointments, split at now.
public struct PatientAppointments: Codable, Sendable, Hashable {
    public var upcoming: [Appointment]
    public var past: [Appointment]

    public init(upcoming: [Appointment], past: [Appointment]) {
        self.upcoming = upcoming
        self.past = past
    }
}

/// Booking rules a clinic sets.
public struct BookingPolicy: Sendable, Hashable {
    /// No slot starts sooner than this after now.
    public var leadTime: Duration
    /// Cancelling or rescheduling closes this long before the start.
    public var cancellationCutoff: Duration
    /// How far ahead patients may book.
    public var horizonDays: Int
    public var timeZone: TimeZone
    /// Upcoming appointments one patient may hold through the bot: one person cannot take
    /// every free slot. The registry (the API) books past it.
    public var maxUpcoming: Int
    /// How long a prepaid service's time is held for the patient to pay, booked through the bot;
    /// nil: the bot takes no payments, and such a visit is booked to be paid at the desk.
    public var prepaymentHold: Duration?

    public init(leadTime: Duration = .seconds(3600), cancellationCutoff: Duration = .seconds(2 * 3600), horizonDays: Int = 60,
                timeZone: TimeZone = .clinicDefault, maxUpcoming: Int = 3, prepaymentHold: Duration? = nil) {
        self.prepaymentHold = prepaymentHold
        self.leadTime = leadTime
        self.cancellationCutoff = cancellationCutoff
        self.horizonDays = horizonDays
        self.timeZone = timeZone
        self.maxUpcoming = maxUpcoming
    }
}

/// What can go wrong with a request to the clinic, in words the API and the flows share.
public enum ClinicRefusal: String, Error, Sendable, Codable {
    /// The slot was free a moment ago and is not now.
    case slotTaken = "slot_taken"
    /// Not a slot the doctor offers (outside the schedule, misaligned, in the past, too soon).
    case notBookable = "not_bookable"
    /// Past the cancellation cut-off, or the appointment has already started.
    case tooLate = "too_late"
    /// No such appointment for this patient (or no such doctor, service, branch).
    case notFound = "not_found"
    /// The Telegram user has no registered patient.
    case patientNotFound = "patient_not_found"
    /// The appointment is cancelled or completed and cannot change.
    case notChangeable = "not_changeable"
    /// The doctor does not provide this service at this branch.
    case serviceNotProvided = "service_not_provided"
    /// The patient already holds `BookingPolicy.maxUpcoming` upcoming appointments.
    case tooManyUpcoming = "too_many_upcoming"
}
