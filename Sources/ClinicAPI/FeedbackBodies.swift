import ClinicContract

/// `POST feedback/`: a patient's 0–10 score for one of their visits, with an optional comment.
struct FeedbackBody: Decodable {
    let telegramUserID: PositiveID
    let appointmentID: PositiveID
    let score: Score
    let comment: Comment?

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
        case appointmentID = "appointment_id"
        case score, comment
    }

    /// NPS: a whole number from 0 to 10.
    struct Score: Decodable {
        let value: Int
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            guard let value = try? container.decode(Int.self), (0...10).contains(value) else {
                throw container.refuse("must be an integer from 0 to 10")
            }
            self.value = value
        }
    }

    /// Free text up to 4096 characters.
    struct Comment: Decodable {
        let text: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            guard let text = try? container.decode(String.self), text.count <= 4096 else {
                throw container.refuse("must be a string of at most 4096 characters")
            }
            self.text = text
        }
    }
}

/// The rating as stored.
struct FeedbackSaved: Encodable {
    let id: Int64
    let appointmentID: Int64
    let score: Int
    let comment: String?
    /// Whether the staff chat is alerted (a score of 6 or less).
    let staffAlerted: Bool

    enum CodingKeys: String, CodingKey {
        case id, score, comment
        case appointmentID = "appointment_id"
        case staffAlerted = "staff_alerted"
    }
}
