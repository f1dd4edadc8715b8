/// `POST appointments/`.
struct BookingBody: Decodable {
    let telegramUserID: PositiveID
    let doctorID: PositiveID
    let serviceID: PositiveID
    let start: ZonedMoment
    /// `telegram` when a bot in front of this API books for a patient (the bot's limits apply);
    /// `api` (the default) for the clinic's own systems.
    let source: BookingSource?

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
        case doctorID = "doctor_id"
        case serviceID = "service_id"
        case start, source
    }
}

/// "telegram" or "api".
struct BookingSource: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self), ["telegram", "api"].contains(text) else {
            throw container.refuse("must be telegram or api")
        }
        self.text = text
    }
}

/// `PATCH appointments/{id}/`: the new start; the appointment must be the patient's own.
struct RescheduleBody: Decodable {
    let telegramUserID: PositiveID
    let start: ZonedMoment

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
        case start
    }
}

/// `POST appointments/{id}/cancel/`: whose appointment it is.
struct CancellationBody: Decodable {
    let telegramUserID: PositiveID

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
    }
}

/// `GET slots/` with `date_from` and `date_to`: the days a calendar can enable.
struct BookableDays: Encodable {
    let days: [String]
}
