#include "midi/SurfacesJson.h"

#include "midi/MidiSurfaces.h"

#include <QJsonArray>

namespace dragoman::midi {

QJsonObject surfacesJson(const MidiSurfaces& surfaces) {
    QJsonArray list;
    for (const auto& s : surfaces.surfaces()) {
        QJsonArray mappings;
        for (const auto& name : s.mappings)
            mappings.append(QString::fromStdString(name));
        list.append(QJsonObject{
            {"input", QString::fromStdString(s.input)},
            {"output", s.output.empty() ? QJsonValue() : QString::fromStdString(s.output)},
            {"mappings", mappings},
            {"virtual", s.isVirtual},
            {"messages", static_cast<double>(s.messages)},
            {"commands", static_cast<double>(s.commands)},
            {"unbound", static_cast<double>(s.unbound)},
            {"waitingPickUp", static_cast<double>(s.waitingPickUp)},
            {"echoes", static_cast<double>(s.echoes)},
            {"dropped", static_cast<double>(s.dropped)},
            {"sent", static_cast<double>(s.sent)},
        });
    }
    const auto in = surfaces.virtualInput();
    const auto out = surfaces.virtualOutput();
    return QJsonObject{
        {"virtualIn", in.empty() ? QJsonValue() : QString::fromStdString(in)},
        {"virtualOut", out.empty() ? QJsonValue() : QString::fromStdString(out)},
        {"surfaces", list},
    };
}

} // namespace dragoman::midi
