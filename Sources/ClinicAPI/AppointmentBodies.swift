/// `POST appointments/`.
struct BookingBody: Decodable {
    let telegramUserID: PositiveID
    let doctorID: PositiveID
    let serviceID: PositiveID
    let start: ZonedMoment

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
        case doctorID = "doctor_id"
        case serviceID = "service_id"
        case start
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
