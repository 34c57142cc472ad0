// Debian's libqrencode (libqrencode-dev), linked as a system library the way GRDB links SQLite.
#include <qrencode.h>
