#include "control/WriteAnswers.h"

#include "control/StateJson.h"

#include <QJsonArray>

namespace dragoman::control {

namespace {

QString text(std::string_view view) {
    return QString::fromUtf8(view.data(), static_cast<qsizetype>(view.size()));
}

// How the HTTP status follows from the answer that ended a write.
int statusOf(const CommandAnswer& answer) {
    if (answer.accepted)
        return 200;
    if (answer.outcome != CommandAnswer::Outcome::Answered)
        return 503; // busy, or no audio running
    switch (answer.reason) {
    case core::Refusal::ChannelEngaged:
    case core::Refusal::BoothEngaged:
        return 409; // someone else holds it: try again later
    case core::Refusal::None:
    case core::Refusal::NoSuchSlot:
    case core::Refusal::UnknownTarget:
    case core::Refusal::OutOfRange:
        break;
    }
    return 400; // the request asked for something that cannot be
}

} // namespace

WriteVerdict writeVerdict(const venue::Venue& venue, const std::vector<FieldAnswer>& answers) {
    QJsonArray results;
    for (const auto& [field, answer] : answers) {
        QJsonObject result{{"field", field}, {"accepted", answer.accepted}};
        if (answer.accepted) {
            if (core::isDeskCommand(answer.kind)) {
                result.insert("handover", deskIdJson(venue, answer.handover));
                result.insert("displaced", deskIdJson(venue, answer.displaced));
            }
        } else {
            result.insert("reason", text(describe(answer)));
            result.insert("holder", deskIdJson(venue, answer.holder));
        }
        results.append(result);
    }

    const bool accepted = answers.empty() || answers.back().answer.accepted;
    WriteVerdict verdict{200, QJsonObject{{"accepted", accepted}, {"results", results}}};
    if (!accepted) {
        const auto& [field, refusal] = answers.back();
        verdict.status = statusOf(refusal);
        QString error = field + ": " + text(describe(refusal));
        if (refusal.holder >= 0)
            error += " (held by " + QString::fromStdString(venue.deskId(refusal.holder)) + ')';
        if (refusal.outcome == CommandAnswer::Outcome::TimedOut)
            error += QStringLiteral(" (is audio running?)");
        if (answers.size() > 1)
            error += QStringLiteral("; the fields before it were applied");
        verdict.body.insert("error", error);
    }
    return verdict;
}

} // namespace dragoman::control
