#include "console/Labels.h"

#include "widgets/Theme.h"

namespace dragoman::console {

QString tagLabel(core::QualityTag tag) {
    switch (tag) {
    case core::QualityTag::Floor:
        return QStringLiteral("FLOOR");
    case core::QualityTag::Plus:
        return QStringLiteral("+");
    case core::QualityTag::Minus:
        return QStringLiteral("−");
    case core::QualityTag::Silent:
        break;
    }
    return QStringLiteral("—");
}

QString tagStyle(core::QualityTag tag) {
    QColor c = widgets::colour::textDim;
    switch (tag) {
    case core::QualityTag::Floor:
        c = QColor(0x6f, 0x8f, 0xb8);
        break;
    case core::QualityTag::Plus:
        c = widgets::colour::liveA;
        break;
    case core::QualityTag::Minus:
        c = widgets::colour::liveRetour;
        break;
    case core::QualityTag::Silent:
        c = widgets::colour::alarm;
        break;
    }
    return QStringLiteral("background: %1; color: #0b0c0e; font-weight: bold; border-radius: 4px; "
                          "padding: 1px 6px;")
        .arg(c.name());
}

QString lampStyle(bool lit, const QColor& colour) {
    if (lit)
        return QStringLiteral("background: %1; color: #0b0c0e; font-weight: bold; "
                              "border-radius: 4px; padding: 2px 4px;")
            .arg(colour.name());
    return QStringLiteral("background: #24272d; color: #4a515c; font-weight: bold; "
                          "border-radius: 4px; padding: 2px 4px;");
}

QColor deskColour(DeskLook look) {
    switch (look) {
    case DeskLook::Idle:
        return widgets::colour::idle;
    case DeskLook::LiveA:
        return widgets::colour::liveA;
    case DeskLook::LiveRetour:
        return widgets::colour::liveRetour;
    case DeskLook::Engaged:
        return widgets::colour::engaged;
    }
    return widgets::colour::idle;
}

QString deskLookName(DeskLook look) {
    switch (look) {
    case DeskLook::Idle:
        return QStringLiteral("idle");
    case DeskLook::LiveA:
        return QStringLiteral("live A");
    case DeskLook::LiveRetour:
        return QStringLiteral("live B/C");
    case DeskLook::Engaged:
        return QStringLiteral("engaged");
    }
    return {};
}

} // namespace dragoman::console
