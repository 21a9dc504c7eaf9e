// The listener's languages: English (the source text) and the venue's languages, Albanian
// (sq), Macedonian (mk) and Bosnian (bs, Latin script, for Bosnian/Serbian/Montenegrin), built
// from resources/translations/*.ts into the library at build time.
//
// Thread contract: the Qt GUI thread.
#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>
#include <QTranslator>

namespace dragoman::ui {

struct Language {
    QString code;   // "en", "sq", "mk", "bs"
    QString native; // its name in itself: "Shqip"
};

// Every language the listener speaks, English first.
const QList<Language>& listenerLanguages();

// The language for a locale: its own when the listener has it, else English.
QString languageFor(const QLocale& locale);

// Installs `code`'s translation in the application (removing the previous one); English
// removes it. False when there is no such translation.
class ListenerTranslator {
public:
    bool use(const QString& code);
    QString current() const { return current_; }

private:
    QTranslator translator_;
    QString current_ = QStringLiteral("en");
    bool installed_ = false;
};

} // namespace dragoman::ui
