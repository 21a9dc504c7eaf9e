// The console's look: dark, high contrast, large type, readable from a metre away in a dim
// control room. One palette and one style sheet for every Dragoman window, and the colours
// that carry meaning (live, retour, engaged, alarm) in one place.
//
// Thread contract: the GUI thread.
#pragma once

#include <QColor>

class QApplication;

namespace dragoman::widgets {

namespace colour {
inline const QColor background{0x12, 0x14, 0x17};
inline const QColor panel{0x1c, 0x1f, 0x24};
inline const QColor panelRaised{0x26, 0x2a, 0x31};
inline const QColor border{0x3a, 0x40, 0x4a};
inline const QColor text{0xf2, 0xf4, 0xf7};
inline const QColor textDim{0x9a, 0xa3, 0xb0};
inline const QColor idle{0x3a, 0x40, 0x4a};       // a desk with its mic off
inline const QColor liveA{0x1f, 0xb8, 0x4a};      // live on the booth's own channel (A)
inline const QColor liveRetour{0xf0, 0xa0, 0x1a}; // live on a retour channel (B or C)
inline const QColor engaged{0xe0, 0x35, 0x35};    // refused: the channel or booth is engaged
inline const QColor alarm{0xff, 0x3b, 0x30};
inline const QColor warning{0xff, 0xc4, 0x00};
inline const QColor accent{0x3d, 0x9b, 0xff}; // selection, monitor, incoming keys
inline const QColor meterLow{0x2e, 0xcc, 0x71};
inline const QColor meterMid{0xf1, 0xc4, 0x0f};
inline const QColor meterHigh{0xff, 0x3b, 0x30};
} // namespace colour

// Fusion style, the dark palette, the style sheet and a large default font.
void applyTheme(QApplication& app);

} // namespace dragoman::widgets
