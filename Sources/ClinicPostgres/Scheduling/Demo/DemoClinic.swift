import FlowEngine
import Foundation

/// A realistic clinic for demonstrations and manual testing: three branches (Almaty, Astana,
/// Shymkent), their services, doctors with weekly schedules and absences, a few patients and
/// their visits. Everything is described here as plain values; `DemoSeeder` writes it.
///
/// Dates are relative to the day of seeding, so a fresh demo always has free days ahead, a
/// vacation coming and a shortened day this week or next.
public enum DemoClinic {
    /// A branch, keyed by its city for the other tables to refer to.
    struct BranchEntry: Sendable {
        let key: City
        let name: LocalizedText
        let address: LocalizedText
        let phone: String
        let latitude: Double
        let longitude: Double
        let workingHours: LocalizedText
        /// Prices of the catalogue are for Almaty and Astana; other cities charge this share of them.
        let pricePercent: Int
    }

    enum City: String, Sendable, CaseIterable {
        case almaty, astana, shymkent
    }

    /// A service of the catalogue, offered by the branches whose doctors provide it.
    struct ServiceEntry: Sendable {
        let key: ServiceKey
        let name: LocalizedText
        let durationMinutes: Int
        let priceTenge: Int
        let prepaymentRequired: Bool
        /// Covered by ОСМС (МӘМС in Kazakh), the compulsory social health insurance.
        let osmsCovered: Bool
    }

    /// A doctor (or a nurse of the procedure room, whose visits patients book the same way).
    struct DoctorEntry: Sendable {
        let fullName: LocalizedText
        let specialty: LocalizedText
        let city: City
        let services: [ServiceKey]
        /// The doctor's own price for some services.
        var priceOverrides: [ServiceKey: Int] = [:]
        let slotStepMinutes: Int
        var minGapMinutes: Int = 0
        let week: [Shift]
        var absences: [Absence] = []
    }

    /// Working hours on some weekdays (1 = Monday … 7 = Sunday), in local minutes since midnight.
    struct Shift: Sendable {
        let weekdays: [Int]
        let start: Int
        let end: Int
        var breaks: [ClosedOpen] = []
    }

    /// An absence, placed relative to the day of seeding.
    enum Absence: Sendable {
        /// Starts on the first Monday at least `weeksAhead` weeks away and lasts `weeks` weeks.
        case vacation(weeksAhead: Int, weeks: Int, note: String)
        /// The first working day (Monday–Friday) at least `daysAhead` days away, worked only until `until`.
        case shortened(daysAhead: Int, until: Int, note: String)
        /// The first working day (Monday–Friday) at least `daysAhead` days away, not worked.
        case dayOff(daysAhead: Int, note: String)
    }

    /// A demo patient, linked to a Telegram account no real person can have.
    struct PatientEntry: Sendable {
        let telegramUserID: Int64
        let lastName: String
        let firstName: String
        let middleName: String?
        let born: (year: Int, month: Int, day: Int)
        let sex: Sex
        /// Digits 8–11 of the IIN; the next serial is taken when this one has no check digit.
        let serial: Int
        let phone: String
        let language: Language
        let visits: [Visit]
    }

    /// A visit of a demo patient: booked ahead (positive `days`) or already done (negative).
    struct Visit: Sendable {
        /// The doctor, by their Russian full name.
        let doctor: String
        let service: ServiceKey
        let days: Int
        /// The earliest local time wanted, in minutes since midnight.
        let notBefore: Int
    }

    /// "09:30" for 570.
    static func clock(_ minutes: Int) -> String { CalendarText.time(hour: minutes / 60, minute: minutes % 60) }

    /// Hours and minutes, for writing schedules readably: `at(9, 30)` is 570.
    static func at(_ hour: Int, _ minute: Int = 0) -> Int { hour * 60 + minute }
}
