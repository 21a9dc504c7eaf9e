#include "console/DeskPanel.h"

#include "console/Labels.h"
#include "widgets/Theme.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>
#include <cmath>

namespace dragoman::console {

namespace {

QString qs(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString keyStyle(const QColor& background, const QColor& border, const QColor& text, int pt) {
    return QStringLiteral("QPushButton { background: %1; border: 2px solid %2; color: %3; "
                          "font-size: %4pt; font-weight: bold; border-radius: 8px; }"
                          "QPushButton:disabled { background: #1c1f24; color: #4a515c; "
                          "border-color: #2b3038; }")
        .arg(background.name(), border.name(), text.name())
        .arg(pt);
}

QSlider* makeSlider(int min, int max, QWidget* parent) {
    auto* slider = new QSlider(Qt::Horizontal, parent);
    slider->setRange(min, max);
    slider->setPageStep(3);
    slider->setFocusPolicy(Qt::NoFocus); // arrow keys belong to the panel's shortcuts
    slider->setMinimumWidth(200);
    return slider;
}

} // namespace

DeskPanel::DeskPanel(control::Controller& controller, int desk, QWidget* parent)
    : QWidget(parent)
    , controller_(controller)
    , desk_(desk) {
    const auto& venue = controller.venue();
    const auto address = venue.deskAddress(desk);
    const auto& booth = venue.booths.at(static_cast<std::size_t>(address.booth));
    const QString id = QString::fromStdString(venue.deskId(desk));
    setObjectName(QStringLiteral("deskpanel-%1").arg(id));
    setWindowTitle(QStringLiteral("Desk %1 — Dragoman").arg(id));
    setFocusPolicy(Qt::StrongFocus);
    setAutoFillBackground(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 12, 14, 12);
    layout->setSpacing(10);

    auto* header = new QHBoxLayout;
    title_ = new QLabel(QStringLiteral("<span style='font-size:20pt; font-weight:bold'>%1</span>"
                                       "&nbsp;&nbsp;<span style='color:#9aa3b0; font-size:13pt'>"
                                       "%2 booth · desk %3</span>")
                            .arg(id, QString::fromStdString(booth.name))
                            .arg(address.desk + 1),
                        this);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("status"));
    status_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    status_->setStyleSheet(QStringLiteral("font-size: 13pt; font-weight: bold;"));
    header->addWidget(title_);
    header->addStretch();
    header->addWidget(status_);
    layout->addLayout(header);

    auto* body = new QHBoxLayout;
    body->setSpacing(12);
    layout->addLayout(body, 1);

    // Left: mic, cough, headphone level.
    auto* micBox = new QVBoxLayout;
    mic_ = new QPushButton(QStringLiteral("MIC"), this);
    mic_->setObjectName(QStringLiteral("mic"));
    mic_->setMinimumSize(170, 130);
    mic_->setToolTip(QStringLiteral("Microphone on/off (M)"));
    cough_ = new QPushButton(QStringLiteral("COUGH"), this);
    cough_->setObjectName(QStringLiteral("cough"));
    cough_->setMinimumSize(170, 64);
    cough_->setToolTip(QStringLiteral("Mutes the mic while held (Space)"));
    cough_->setStyleSheet(
        keyStyle(widgets::colour::panelRaised, widgets::colour::border, widgets::colour::text, 14) +
        QStringLiteral("QPushButton:pressed { background: #8a6d12; }"));
    micBox->addWidget(mic_);
    micBox->addWidget(cough_);
    auto* phones = new QHBoxLayout;
    headphones_ = new widgets::LevelMeter(this);
    headphones_->setMinimumHeight(110);
    headphones_->setScaleVisible(true);
    auto* phonesLabel = new QVBoxLayout;
    auto* phonesName = new QLabel(QStringLiteral("HEADPHONES"), this);
    phonesName->setProperty("role", "dim");
    limiter_ = new QLabel(QStringLiteral("LIMIT"), this);
    limiter_->setAlignment(Qt::AlignCenter);
    limiter_->setStyleSheet(lampStyle(false, widgets::colour::warning));
    limiter_->setToolTip(QStringLiteral("Hearing protection at work"));
    phonesLabel->addWidget(phonesName);
    phonesLabel->addStretch();
    phonesLabel->addWidget(limiter_);
    phones->addWidget(headphones_);
    phones->addLayout(phonesLabel, 1);
    micBox->addLayout(phones, 1);
    body->addLayout(micBox);

    // Middle: outgoing, incoming, pre-select.
    auto* middle = new QVBoxLayout;
    auto* outBox = new QGroupBox(QStringLiteral("Outgoing"), this);
    auto* outRow = new QHBoxLayout(outBox);
    for (int s = 0; s < venue::kSlotCount; ++s) {
        const int channel = booth.outgoing[static_cast<std::size_t>(s)];
        const auto slot = static_cast<core::Slot>(s);
        const QString label = channel >= 0
                                  ? QStringLiteral("%1\n%2").arg(
                                        qs(venue::toString(slot)),
                                        QString::fromStdString(
                                            venue.channels[static_cast<std::size_t>(channel)].code))
                                  : qs(venue::toString(slot));
        auto* key = new QPushButton(label, outBox);
        key->setObjectName(QStringLiteral("out-%1").arg(qs(venue::toString(slot))));
        key->setCheckable(true);
        key->setEnabled(channel >= 0);
        key->setMinimumSize(84, 58);
        key->setToolTip(QStringLiteral("Speak on %1 (%1 key)").arg(qs(venue::toString(slot))));
        connect(key, &QPushButton::clicked, this,
                [this, slot] { send(core::Command::deskOut(desk_, slot)); });
        out_[static_cast<std::size_t>(s)] = key;
        outRow->addWidget(key);
    }
    middle->addWidget(outBox);

    auto* inBox = new QGroupBox(QStringLiteral("Incoming"), this);
    auto* inGrid = new QGridLayout(inBox);
    inStyles_.assign(venue.channels.size(), QString());
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        const auto& ch = venue.channels[c];
        auto* key = new QPushButton(inBox);
        key->setObjectName(QStringLiteral("in-%1").arg(QString::fromStdString(ch.code)));
        key->setMinimumSize(96, 64);
        key->setToolTip(
            QStringLiteral("Listen to %1 (%2 key)")
                .arg(QString::fromStdString(ch.nativeName.empty() ? ch.name : ch.nativeName))
                .arg(c));
        connect(key, &QPushButton::clicked, this,
                [this, c] { send(core::Command::deskIn(desk_, static_cast<int>(c))); });
        inGrid->addWidget(key, static_cast<int>(c) / 5, static_cast<int>(c) % 5);
        in_.push_back(key);
    }
    auto* legend = new QLabel(QStringLiteral("Green border: a booth is live on that channel. Tag: "
                                             "FLOOR (the floor), + (from the floor), − (relay)."),
                              inBox);
    legend->setProperty("role", "dim");
    legend->setStyleSheet(QStringLiteral("font-size: 9pt;"));
    legend->setWordWrap(true);
    inGrid->addWidget(legend, (static_cast<int>(venue.channels.size()) + 4) / 5, 0, 1, 5);
    middle->addWidget(inBox);

    auto* presetBox = new QGroupBox(QStringLiteral("Pre-select"), this);
    auto* presetRow = new QHBoxLayout(presetBox);
    for (int p = 0; p < kPresets; ++p) {
        auto* key = new QPushButton(QStringLiteral("P%1\n—").arg(p + 1), presetBox);
        key->setObjectName(QStringLiteral("preset-%1").arg(p + 1));
        key->setMinimumSize(84, 52);
        key->setToolTip(QStringLiteral("Recall (F%1); Ctrl+click or Ctrl+F%1 stores the current "
                                       "incoming channel")
                            .arg(p + 1));
        connect(key, &QPushButton::clicked, this, [this, p] {
            if (QGuiApplication::keyboardModifiers() & Qt::ControlModifier)
                storePreset(p);
            else
                recallPreset(p);
        });
        presets_[static_cast<std::size_t>(p)] = key;
        presetRow->addWidget(key);
    }
    middle->addWidget(presetBox);
    middle->addStretch();
    body->addLayout(middle, 1);

    // Right: volume and tone, slow and help.
    auto* right = new QVBoxLayout;
    auto* toneBox = new QGroupBox(QStringLiteral("Headphones"), this);
    auto* toneGrid = new QGridLayout(toneBox);
    volume_ = makeSlider(static_cast<int>(core::kVolumeMinDb), static_cast<int>(core::kVolumeMaxDb),
                         toneBox);
    bass_ = makeSlider(-static_cast<int>(core::kToneMaxDb), static_cast<int>(core::kToneMaxDb),
                       toneBox);
    treble_ = makeSlider(-static_cast<int>(core::kToneMaxDb), static_cast<int>(core::kToneMaxDb),
                         toneBox);
    volume_->setObjectName(QStringLiteral("volume"));
    bass_->setObjectName(QStringLiteral("bass"));
    treble_->setObjectName(QStringLiteral("treble"));
    volumeValue_ = new QLabel(toneBox);
    bassValue_ = new QLabel(toneBox);
    trebleValue_ = new QLabel(toneBox);
    int row = 0;
    for (auto [name, slider, value] :
         {std::tuple{"Volume", volume_, volumeValue_}, std::tuple{"Bass", bass_, bassValue_},
          std::tuple{"Treble", treble_, trebleValue_}}) {
        auto* label = new QLabel(QString::fromLatin1(name), toneBox);
        label->setProperty("role", "dim");
        value->setProperty("role", "value");
        value->setMinimumWidth(64);
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        toneGrid->addWidget(label, row, 0);
        toneGrid->addWidget(slider, row, 1);
        toneGrid->addWidget(value, row, 2);
        ++row;
    }
    connect(volume_, &QSlider::valueChanged, this,
            [this](int v) { send(core::Command::deskVolume(desk_, static_cast<float>(v))); });
    connect(bass_, &QSlider::valueChanged, this,
            [this](int v) { send(core::Command::deskBass(desk_, static_cast<float>(v))); });
    connect(treble_, &QSlider::valueChanged, this,
            [this](int v) { send(core::Command::deskTreble(desk_, static_cast<float>(v))); });
    right->addWidget(toneBox);

    auto* callBox = new QGroupBox(QStringLiteral("Technician"), this);
    auto* callRow = new QHBoxLayout(callBox);
    slow_ = new QPushButton(QStringLiteral("SLOW"), callBox);
    slow_->setObjectName(QStringLiteral("slow"));
    slow_->setToolTip(QStringLiteral("Ask the speaker to slow down (S)"));
    help_ = new QPushButton(QStringLiteral("HELP"), callBox);
    help_->setObjectName(QStringLiteral("help"));
    help_->setToolTip(QStringLiteral("Call the technician (H)"));
    for (auto* key : {slow_, help_}) {
        key->setMinimumSize(100, 56);
        key->setStyleSheet(keyStyle(widgets::colour::panelRaised, widgets::colour::warning,
                                    widgets::colour::warning, 13));
        callRow->addWidget(key);
    }
    connect(slow_, &QPushButton::clicked, this,
            [this] { send(core::Command::deskCall(desk_, core::DeskCall::Slow)); });
    connect(help_, &QPushButton::clicked, this,
            [this] { send(core::Command::deskCall(desk_, core::DeskCall::Help)); });
    right->addWidget(callBox);
    auto* keys = new QLabel(QStringLiteral("M mic · Space cough · A B C out · 0-9 incoming · "
                                           "F1-F3 pre-select (Ctrl stores) · ↑↓ volume · "
                                           "Shift ↑↓ bass · Ctrl ↑↓ treble · S slow · H help"),
                            this);
    keys->setWordWrap(true);
    keys->setProperty("role", "dim");
    keys->setStyleSheet(QStringLiteral("font-size: 9pt;"));
    right->addWidget(keys);
    right->addStretch();
    body->addLayout(right);

    // The key shows the engine's state (read back in refresh()), not its own.
    connect(mic_, &QPushButton::clicked, this,
            [this] { send(core::Command::deskMic(desk_, !micOn_)); });
    connect(cough_, &QPushButton::pressed, this, [this] { setCough(true); });
    connect(cough_, &QPushButton::released, this, [this] { setCough(false); });

    auto shortcut = [this](const QKeySequence& sequence, auto action) {
        auto* s = new QShortcut(sequence, this);
        s->setContext(Qt::WindowShortcut);
        connect(s, &QShortcut::activated, this, action);
    };
    shortcut(QKeySequence(Qt::Key_M), [this] { mic_->click(); });
    shortcut(QKeySequence(Qt::Key_A), [this] { out_[0]->click(); });
    shortcut(QKeySequence(Qt::Key_B), [this] { out_[1]->click(); });
    shortcut(QKeySequence(Qt::Key_C), [this] { out_[2]->click(); });
    shortcut(QKeySequence(Qt::Key_S), [this] { slow_->click(); });
    shortcut(QKeySequence(Qt::Key_H), [this] { help_->click(); });
    for (std::size_t c = 0; c < in_.size() && c < 10; ++c)
        shortcut(QKeySequence(Qt::Key_0 + static_cast<int>(c)), [this, c] { in_[c]->click(); });
    for (int p = 0; p < kPresets; ++p) {
        shortcut(QKeySequence(Qt::Key_F1 + p), [this, p] { recallPreset(p); });
        shortcut(QKeySequence(Qt::CTRL | (Qt::Key_F1 + p)), [this, p] { storePreset(p); });
    }
    shortcut(QKeySequence(Qt::Key_Up), [this] { nudge(volume_, 1); });
    shortcut(QKeySequence(Qt::Key_Down), [this] { nudge(volume_, -1); });
    shortcut(QKeySequence(Qt::SHIFT | Qt::Key_Up), [this] { nudge(bass_, 1); });
    shortcut(QKeySequence(Qt::SHIFT | Qt::Key_Down), [this] { nudge(bass_, -1); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Up), [this] { nudge(treble_, 1); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Down), [this] { nudge(treble_, -1); });

    refusalSince_.start();
}

void DeskPanel::send(const core::Command& command) {
    controller_.submit(command, [this, kind = command.kind](const control::CommandAnswer& answer) {
        if (answer.outcome == control::CommandAnswer::Outcome::Answered && answer.accepted) {
            if (kind == core::Command::Kind::DeskMic)
                refusal_.clear();
            return;
        }
        QString text = qs(control::describe(answer));
        if (answer.holder >= 0)
            text += QStringLiteral(" · %1").arg(
                QString::fromStdString(controller_.venue().deskId(answer.holder)));
        refusal_ = text.toUpper();
        refusalSince_.restart();
    });
}

void DeskPanel::setCough(bool held) {
    send(core::Command::deskCough(desk_, held));
}

void DeskPanel::nudge(QSlider* slider, int step) {
    slider->setValue(slider->value() + step);
}

void DeskPanel::storePreset(int preset) {
    presetChannels_.at(static_cast<std::size_t>(preset)) = currentIn_;
    const auto& code = controller_.venue().channels.at(static_cast<std::size_t>(currentIn_)).code;
    presets_[static_cast<std::size_t>(preset)]->setText(
        QStringLiteral("P%1\n%2").arg(preset + 1).arg(QString::fromStdString(code)));
}

void DeskPanel::recallPreset(int preset) {
    const int channel = presetChannels_.at(static_cast<std::size_t>(preset));
    if (channel >= 0)
        send(core::Command::deskIn(desk_, channel));
}

void DeskPanel::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space) {
        if (!event->isAutoRepeat()) {
            cough_->setDown(true);
            setCough(true);
        }
        return;
    }
    QWidget::keyPressEvent(event);
}

void DeskPanel::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space) {
        if (!event->isAutoRepeat()) {
            cough_->setDown(false);
            setCough(false);
        }
        return;
    }
    QWidget::keyReleaseEvent(event);
}

QString DeskPanel::statusText() const {
    return status_->text();
}

void DeskPanel::showStatus(const QString& text, bool alarm) {
    if (status_->text() != text)
        status_->setText(text);
    const QString style =
        QStringLiteral("font-size: 13pt; font-weight: bold; color: %1;")
            .arg(alarm ? widgets::colour::alarm.name() : widgets::colour::text.name());
    if (status_->styleSheet() != style)
        status_->setStyleSheet(style);
}

void DeskPanel::refresh(const core::RoutingState& routing, const core::MeterBank& meters) {
    const auto& venue = controller_.venue();
    const auto& desk = routing.desks.at(static_cast<std::size_t>(desk_));
    currentIn_ = desk.in;

    // The mic key in the booth map's colours: green live on A, amber on a retour.
    const QColor live =
        desk.out == core::Slot::A ? widgets::colour::liveA : widgets::colour::liveRetour;
    const QString micStyle = desk.mic
                                 ? keyStyle(desk.cough ? live.darker(200) : live, live.lighter(130),
                                            QColor(0x0b, 0x0c, 0x0e), 24)
                                 : keyStyle(widgets::colour::panelRaised, widgets::colour::border,
                                            widgets::colour::text, 24);
    if (mic_->styleSheet() != micStyle)
        mic_->setStyleSheet(micStyle);
    micOn_ = desk.mic;
    const QString micText = desk.mic
                                ? (desk.cough ? QStringLiteral("MUTED") : QStringLiteral("LIVE"))
                                : QStringLiteral("MIC");
    if (mic_->text() != micText)
        mic_->setText(micText);

    for (int s = 0; s < venue::kSlotCount; ++s) {
        auto* key = out_[static_cast<std::size_t>(s)];
        const bool selected = static_cast<int>(desk.out) == s;
        if (key->isChecked() != selected)
            key->setChecked(selected);
    }

    for (std::size_t c = 0; c < in_.size(); ++c) {
        const auto& status = routing.channels.at(c);
        const bool selected = desk.in == static_cast<int>(c);
        const bool channelLive = status.sourceDesk >= 0;
        // The floor is the floor: no tag on its key.
        const QString text = c == 0 ? QStringLiteral("FLOOR\n ")
                                    : QStringLiteral("%1\n%2").arg(
                                          QString::fromStdString(venue.channels[c].code).toUpper(),
                                          tagLabel(status.tag));
        if (in_[c]->text() != text)
            in_[c]->setText(text);
        const QColor border = channelLive ? widgets::colour::liveA : widgets::colour::border;
        const QString style =
            selected ? keyStyle(widgets::colour::accent, border, Qt::white, 13)
                     : keyStyle(widgets::colour::panelRaised, border, widgets::colour::text, 13);
        if (inStyles_[c] != style) {
            inStyles_[c] = style;
            in_[c]->setStyleSheet(style);
        }
    }

    auto showValue = [](QSlider* slider, QLabel* label, float db) {
        const int value = static_cast<int>(std::lround(db));
        if (!slider->isSliderDown() && slider->value() != value) {
            const QSignalBlocker block(slider);
            slider->setValue(value);
        }
        const QString text = db <= core::kVolumeMinDb ? QStringLiteral("off")
                                                      : QStringLiteral("%1 dB").arg(db, 0, 'f', 0);
        if (label->text() != text)
            label->setText(text);
    };
    showValue(volume_, volumeValue_, desk.volumeDb);
    showValue(bass_, bassValue_, desk.bassDb);
    showValue(treble_, trebleValue_, desk.trebleDb);

    const auto feed = meters.read(core::MeterPoint::DeskFeed, desk_);
    headphones_->setLevels(feed.peakDb, feed.truePeakDb, feed.rmsDb);
    const auto limiter = meters.limiter(desk_);
    const bool lit = limiter.gainReductionDb > 0.1f || limiter.sustained;
    if (lit != limiterLit_) {
        limiterLit_ = lit;
        limiter_->setStyleSheet(
            lampStyle(lit, limiter.warning ? widgets::colour::alarm : widgets::colour::warning));
    }

    if (!refusal_.isEmpty() && refusalSince_.elapsed() > 4000)
        refusal_.clear();
    if (!refusal_.isEmpty())
        showStatus(refusal_, true);
    else if (desk.mic && desk.outChannel >= 0)
        showStatus(QStringLiteral("LIVE on %1 · %2")
                       .arg(qs(venue::toString(desk.out)),
                            QString::fromStdString(
                                venue.channels.at(static_cast<std::size_t>(desk.outChannel)).code)),
                   false);
    else
        showStatus(QStringLiteral("mic off"), false);
}

} // namespace dragoman::console
