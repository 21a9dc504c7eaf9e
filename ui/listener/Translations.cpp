#include "listener/Translations.h"

#include <QCoreApplication>

namespace dragoman::ui {

const QList<Language>& listenerLanguages() {
    static const QList<Language> languages{
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("sq"), QStringLiteral("Shqip")},
        {QStringLiteral("mk"), QStringLiteral("Македонски")},
        {QStringLiteral("bs"), QStringLiteral("Bosanski/Srpski/Crnogorski")},
    };
    return languages;
}

QString languageFor(const QLocale& locale) {
    // Serbian and Montenegrin (and Croatian) listeners read the Bosnian text.
    switch (locale.language()) {
    case QLocale::Albanian:
        return QStringLiteral("sq");
    case QLocale::Macedonian:
        return QStringLiteral("mk");
    case QLocale::Bosnian:
    case QLocale::Serbian:
    case QLocale::Croatian:
        return QStringLiteral("bs");
    default:
        return QStringLiteral("en");
    }
}

bool ListenerTranslator::use(const QString& code) {
    if (installed_) {
        QCoreApplication::removeTranslator(&translator_);
        installed_ = false;
    }
    current_ = QStringLiteral("en");
    if (code == QStringLiteral("en"))
        return true;
    if (!translator_.load(QStringLiteral(":/i18n/dragoman-listener_%1.qm").arg(code)))
        return false;
    QCoreApplication::installTranslator(&translator_);
    installed_ = true;
    current_ = code;
    return true;
}

} // namespace dragoman::ui
