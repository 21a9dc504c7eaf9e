// What needs the technician's eye, always on screen whatever the layout: the audio device's
// state in one line, and the alarms summarised: a count per kind with the channels or desks
// named (CLIP, NO SIGNAL, refused desks, hearing-protection warnings).
//
// Thread contract: the GUI thread; refresh() from the console's meter timer. Labels change only
// when their text does.
#pragma once

#include "console/BoothMap.h"
#include "console/ChannelStrip.h"
#include "core/MeterBank.h"
#include "device/DeviceStatus.h"

#include <QWidget>
#include <optional>
#include <vector>

class QLabel;

namespace dragoman::console {

class StatusSummary : public QWidget {
    Q_OBJECT

public:
    static constexpr int kNamesShown = 8; // then "+N"

    explicit StatusSummary(QWidget* parent = nullptr);

    void refresh(const std::vector<ChannelStrip*>& strips, const BoothMap& booths,
                 const core::MeterBank& meters, const std::optional<device::DeviceStatus>& device);

    QString deviceText() const;
    QString alarmsText() const; // plain text: "CLIP 2: en, fr · NO SIGNAL 1: ar" or "no alarms"
    int alarmCount() const { return alarms_; }

private:
    QLabel* device_ = nullptr;
    QLabel* alarmsLabel_ = nullptr;
    QString plainAlarms_;
    int alarms_ = 0;
};

} // namespace dragoman::console
