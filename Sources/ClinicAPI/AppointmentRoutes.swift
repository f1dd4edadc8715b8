import ClinicContract
import Hummingbird

extension APIHandlers {
    /// Bookings made through the API are recorded with source "api" unless a bot in front of
    /// it says "telegram" (then the bot's limit of upcoming appointments applies).
    static let bookingSource = "api"

    /// 201 with the appointment.
    func book(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(BookingBody.self, from: request)
        let appointment = try await clinic.book(
            telegramUserID: body.telegramUserID.value, doctorID: body.doctorID.value, serviceID: body.serviceID.value,
            start: body.start.date, source: body.source?.text ?? Self.bookingSource)
        return try APIResponse.json(appointment, status: .created)
    }

    func myAppointments(_ query: QueryParameters) async throws -> Response {
        try APIResponse.json(try await clinic.appointments(telegramUserID: try query.id("telegram_user_id")))
    }

    func reschedule(_ request: Request, appointmentID: Int64) async throws -> Response {
        let body = try await JSONBody.decode(RescheduleBody.self, from: request)
        return try APIResponse.json(
            try await clinic.reschedule(appointmentID: appointmentID, telegramUserID: body.telegramUserID.value, start: body.start.date))
    }

    func cancel(_ request: Request, appointmentID: Int64) async throws -> Response {
        let body = try await JSONBody.decode(CancellationBody.self, from: request)
        return try APIResponse.json(try await clinic.cancel(appointmentID: appointmentID, telegramUserID: body.telegramUserID.value))
    }
}
