@echo off
rem mailroom.cmd: runs the Mailroom command line, mailroom.jar next to this file, with %JAVA_HOME%\bin\java
rem or the first java on the PATH (Java 17 or later). Exit codes: 0 success, 1 a check or send failed, 2 bad usage.
setlocal
set "MAILROOM_JAVA=java"
if defined JAVA_HOME set "MAILROOM_JAVA=%JAVA_HOME%\bin\java"
"%MAILROOM_JAVA%" -XX:TieredStopAtLevel=1 %MAILROOM_JAVA_OPTS% -jar "%~dp0mailroom.jar" %*
exit /b %ERRORLEVEL%
