import FlowEngine
import Foundation

// Actions are a trust boundary: a flow or an API client may send anything. They parse with the
// same types the dialogues use (FlowEngine's IIN, PhoneNumber, PersonName, CalendarDate), so the
// bot and the REST API can never disagree about what is valid, and turn a refusal into an
// `InvalidInput` that names the field but never the value.

extension PersonName {
    public init(checking text: String, field: String) throws(InvalidInput) {
        do { try self.init(text) } catch { throw InvalidInput(field: field, reason: error.rawValue) }
    }

    public var text: String { value }
}

extension PhoneNumber {
    public init(checking text: String) throws(InvalidInput) {
        do { try self.init(text) } catch { throw InvalidInput(field: "phone", reason: error.rawValue) }
    }
}

extension IIN {
    public init(checking text: String) throws(InvalidInput) {
        do { try self.init(text) } catch { throw InvalidInput(field: "iin", reason: error.rawValue) }
    }
}

extension Sex {
    public init(checking text: String) throws(InvalidInput) {
        guard let sex = Sex(rawValue: text) else { throw InvalidInput(field: "sex", reason: "must be M or F") }
        self = sex
    }
}

extension Language {
    public init(checking text: String) throws(InvalidInput) {
        guard let language = Language(rawValue: text) else { throw InvalidInput(field: "language", reason: "must be ru or kk") }
        self = language
    }
}

extension CalendarDate {
    /// Today in UTC; the caller allows a day of slack for time zones east of it.
    public static func todayUTC(_ now: Date = Date()) -> CalendarDate {
        Moment.localParts(now, TimeZone(identifier: "UTC")!).date
    }
}
