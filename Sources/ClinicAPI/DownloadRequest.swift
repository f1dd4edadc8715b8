import Hummingbird

/// `GET /api/bot/documents/<id>/download/?token=…`: the one request the API takes without its
/// bearer token, since the patient's browser opens it; the signed token is its proof, and the
/// handler checks it (`DocumentLink.check`) before anything is read.
enum DownloadRequest {
    @Sendable static func carriesToken(_ request: Request) -> Bool {
        guard request.method == .get, !request.uri.queryParameters[values: "token"].isEmpty else { return false }
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        return segments.count == 5 && segments[0] == "api" && segments[1] == "bot" && segments[2] == "documents"
            && PositiveID.parse(segments[3]) != nil && segments[4] == "download"
    }
}
