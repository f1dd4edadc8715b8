import ClinicContract
import FlowEngine
import Hummingbird

extension APIHandlers {
    /// The widest date range `slots/` answers bookable days for: a calendar shows a month or two.
    static let maxCalendarDays = 92

    func branches() async throws -> Response {
        try APIResponse.json(try await clinic.branches())
    }

    func services(_ query: QueryParameters) async throws -> Response {
        try APIResponse.json(try await clinic.services(branchID: try query.optionalID("branch_id")))
    }

    func doctors(_ query: QueryParameters) async throws -> Response {
        let serviceID = try query.optionalID("service_id")
        let date = try query.optionalDate("date")
        return try APIResponse.json(try await clinic.doctors(serviceID: serviceID, date: date))
    }

    /// With `date`: the free slots of that day. With `date_from` and `date_to` (both, and not
    /// `date`): `{days: [...]}`, the days of that range with a free slot.
    func slots(_ query: QueryParameters) async throws -> Response {
        let doctorID = try query.id("doctor_id")
        let serviceID = try query.optionalID("service_id")
        let from = try query.optionalDate("date_from")
        let to = try query.optionalDate("date_to")
        if let date = try query.optionalDate("date") {
            guard from == nil, to == nil else {
                throw APIError.invalidParameter("date", "cannot be combined with date_from and date_to")
            }
            return try APIResponse.json(try await clinic.slots(doctorID: doctorID, serviceID: serviceID, date: date))
        }
        guard let from, let to else {
            throw APIError.invalidParameter("date", "is required (or date_from and date_to)")
        }
        guard from <= to else { throw APIError.invalidParameter("date_to", "must not be before date_from") }
        guard to < from.adding(days: Self.maxCalendarDays) else {
            throw APIError.invalidParameter("date_to", "must be within \(Self.maxCalendarDays) days of date_from")
        }
        let days = try await clinic.bookableDays(doctorID: doctorID, serviceID: serviceID, from: from, to: to)
        return try APIResponse.json(BookableDays(days: days.map(\.iso)))
    }
}
