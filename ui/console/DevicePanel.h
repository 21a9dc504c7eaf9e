// The audio device at a glance: host API, device, sample rate, block size, measured latency,
// CPU load of the audio callback, xruns, which clock paces the engine, the reconnect state; and
// the WebRTC server beside it.
//
// Thread contract: the GUI thread.
#pragma once

#include "console/ConsoleSources.h"
#include "device/DeviceStatus.h"

#include <QWidget>
#include <optional>

class QLabel;

namespace dragoman::console {

class DevicePanel : public QWidget {
    Q_OBJECT

public:
    explicit DevicePanel(QWidget* parent = nullptr);

    // `webrtc`: the WebRTC server's line ("off" without one).
    void refresh(const device::DeviceStatus& status, const std::optional<ServiceLine>& webrtc = {});
    QString text(const QString& field) const; // the shown value of a field ("Clock", "Xruns")

private:
    QLabel* value(const QString& field) const;
    std::vector<std::pair<QString, QLabel*>> fields_;
};

} // namespace dragoman::console
