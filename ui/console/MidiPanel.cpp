#include "console/MidiPanel.h"

#include "core/Command.h"
#include "midi/MidiLearn.h"
#include "midi/MidiSurfaces.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <algorithm>

namespace dragoman::console {

namespace {

// The actions learn mode offers: what a surface's key or fader does to one desk or channel.
struct Choice {
    const char* label;
    midi::ActionKind kind;
    midi::KeyMode mode;
    bool onDesk; // the target is a desk (else a channel)
};

constexpr Choice kChoices[] = {
    {"Mic (toggle)", midi::ActionKind::Mic, midi::KeyMode::Toggle, true},
    {"Mic (hold)", midi::ActionKind::Mic, midi::KeyMode::Momentary, true},
    {"Cough (hold)", midi::ActionKind::Cough, midi::KeyMode::Momentary, true},
    {"Slow", midi::ActionKind::Slow, midi::KeyMode::Momentary, true},
    {"Help", midi::ActionKind::Help, midi::KeyMode::Momentary, true},
    {"Volume (fader)", midi::ActionKind::Volume, midi::KeyMode::Toggle, true},
    {"Auto-floor", midi::ActionKind::AutoFloor, midi::KeyMode::Toggle, false},
    {"PFL", midi::ActionKind::Pfl, midi::KeyMode::Toggle, false},
    {"Channel trim (fader)", midi::ActionKind::ChannelTrim, midi::KeyMode::Toggle, false},
};

} // namespace

QString describeAction(const midi::Action& action, const venue::Venue& venue) {
    QString target;
    if (action.desk >= 0)
        target = QString::fromStdString(venue.deskId(action.desk));
    else if (action.channel >= 0 && action.channel < static_cast<int>(venue.channels.size()))
        target =
            QString::fromStdString(venue.channels[static_cast<std::size_t>(action.channel)].code);
    else if (action.input >= 0)
        target = QStringLiteral("input %1").arg(action.input);
    return QString::fromUtf8(midi::toString(action.kind).data(),
                             static_cast<qsizetype>(midi::toString(action.kind).size())) +
           (target.isEmpty() ? QString() : ' ' + target);
}

MidiPanel::MidiPanel(const venue::Venue& venue, midi::MidiSurfaces& surfaces,
                     midi::MidiLearn* learn, QWidget* parent)
    : QWidget(parent)
    , venue_(venue)
    , surfaces_(surfaces)
    , learn_(learn) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->addWidget(new QLabel(QStringLiteral("Surfaces"), this), 0, 0, Qt::AlignTop);
    surfaceList_ = new QLabel(this);
    surfaceList_->setObjectName(QStringLiteral("midiSurfaces"));
    surfaceList_->setWordWrap(true);
    grid->addWidget(surfaceList_, 0, 1, 1, 3);

    grid->addWidget(new QLabel(QStringLiteral("Learn"), this), 1, 0);
    kind_ = new QComboBox(this);
    for (const auto& choice : kChoices)
        kind_->addItem(QString::fromUtf8(choice.label));
    target_ = new QComboBox(this);
    learnButton_ = new QPushButton(QStringLiteral("Learn"), this);
    learnButton_->setCheckable(true);
    grid->addWidget(kind_, 1, 1);
    grid->addWidget(target_, 1, 2);
    grid->addWidget(learnButton_, 1, 3);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("midiStatus"));
    status_->setWordWrap(true);
    grid->addWidget(status_, 2, 1, 1, 3);
    grid->setColumnStretch(1, 1);

    fillTargets();
    connect(kind_, &QComboBox::currentIndexChanged, this, [this] { fillTargets(); });
    connect(&surfaces, &midi::MidiSurfaces::surfacesChanged, this, &MidiPanel::showSurfaces);
    auto* counts = new QTimer(this); // the message counts, once a second
    connect(counts, &QTimer::timeout, this, &MidiPanel::showSurfaces);
    counts->start(1000);
    showSurfaces();

    if (!learn_) {
        for (QWidget* w : {static_cast<QWidget*>(kind_), static_cast<QWidget*>(target_),
                           static_cast<QWidget*>(learnButton_)})
            w->setEnabled(false);
        status_->setText(QStringLiteral("Start with --midi FILE to learn bindings into FILE."));
        return;
    }
    status_->setText(QStringLiteral("Pick an action, press Learn, move a control."));
    connect(learnButton_, &QPushButton::toggled, this, &MidiPanel::toggleLearn);
    connect(learn_, &midi::MidiLearn::armedChanged, this,
            [this](bool armed) { learnButton_->setChecked(armed); });
    connect(learn_, &midi::MidiLearn::learnt, this,
            [this](const midi::Binding& binding, const QString& surface) {
                const QString line =
                    QStringLiteral("%1 on %2 → %3 (stored in %4)")
                        .arg(QString::fromStdString(midi::describe(binding.control)), surface,
                             describeAction(binding.action, venue_),
                             QString::fromStdString(learn_->file().filename().string()));
                status_->setText(QStringLiteral("Bound: ") + line);
                Q_EMIT logLine(QStringLiteral("MIDI learnt: ") + line);
            });
    connect(learn_, &midi::MidiLearn::failed, this, [this](const QString& message) {
        status_->setText(QStringLiteral("Not stored: ") + message);
        Q_EMIT logLine(QStringLiteral("MIDI learn failed: ") + message);
    });
}

QString MidiPanel::surfacesText() const {
    return surfaceList_->text();
}

QString MidiPanel::statusText() const {
    return status_->text();
}

midi::Action MidiPanel::selectedAction() const {
    const auto& choice = kChoices[std::max(kind_->currentIndex(), 0)];
    midi::Action action;
    action.kind = choice.kind;
    action.mode = choice.mode;
    const int target = target_->currentData().toInt();
    if (choice.onDesk)
        action.desk = target;
    else if (choice.kind != midi::ActionKind::Pfl) // PFL names its source below
        action.channel = target;
    if (action.kind == midi::ActionKind::Volume) {
        action.minDb = core::kVolumeMinDb;
        action.maxDb = core::kVolumeMaxDb;
    } else if (action.kind == midi::ActionKind::ChannelTrim) {
        action.minDb = core::kTrimMinDb;
        action.maxDb = core::kTrimMaxDb;
    } else if (action.kind == midi::ActionKind::Pfl) {
        action.monitor = core::MonitorSource::Channel;
        action.monitorIndex = target;
    }
    return action;
}

void MidiPanel::fillTargets() {
    const auto& choice = kChoices[std::max(kind_->currentIndex(), 0)];
    target_->clear();
    if (choice.onDesk) {
        for (int d = 0; d < venue_.deskCount(); ++d)
            target_->addItem(QString::fromStdString(venue_.deskId(d)), d);
        return;
    }
    const bool withFloor = choice.kind != midi::ActionKind::AutoFloor; // the floor has none
    for (std::size_t c = withFloor ? 0 : 1; c < venue_.channels.size(); ++c)
        target_->addItem(QString::fromStdString(venue_.channels[c].code), static_cast<int>(c));
}

void MidiPanel::toggleLearn(bool on) {
    if (!learn_ || on == learn_->armed())
        return;
    if (!on) {
        learn_->cancel();
        status_->setText(QStringLiteral("Learn cancelled."));
        return;
    }
    const auto action = selectedAction();
    learn_->arm(action);
    status_->setText(QStringLiteral("Move a control for %1…").arg(describeAction(action, venue_)));
}

void MidiPanel::showSurfaces() {
    QStringList lines;
    for (const auto& surface : surfaces_.surfaces()) {
        QString line = QString::fromStdString(surface.input);
        if (!surface.output.empty())
            line += QStringLiteral(" → ") + QString::fromStdString(surface.output);
        line += QStringLiteral("  ·  %1 messages").arg(surface.messages);
        lines << line;
    }
    surfaceList_->setText(lines.isEmpty() ? QStringLiteral("none connected") : lines.join('\n'));
}

} // namespace dragoman::console
