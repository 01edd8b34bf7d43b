@echo off
rem Install finals-kiosk with no network, from the wheels in this folder (Windows x64).
rem
rem   install.bat [FOLDER]        default FOLDER: %USERPROFILE%\finals-kiosk
rem
rem Needs Python 3.11, 3.12 or 3.13 for Windows (64-bit) from python.org, installed first.
setlocal
set "HERE=%~dp0"
set "DEST=%~1"
if "%DEST%"=="" set "DEST=%USERPROFILE%\finals-kiosk"
set "PY="
for %%V in (3.13 3.12 3.11) do (
    if not defined PY (
        py -%%V -c "import sys" >nul 2>nul && set "PY=py -%%V"
    )
)
if not defined PY (
    python -c "import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)" >nul 2>nul && set "PY=python"
)
if not defined PY (
    echo error: no Python 3.11, 3.12 or 3.13 found; install one from python.org first
    exit /b 1
)
echo finals-kiosk: installing into %DEST% with %PY%
%PY% -m venv "%DEST%"
if errorlevel 1 (
    echo error: could not create the virtual environment in %DEST%
    exit /b 1
)
"%DEST%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%." --upgrade --disable-pip-version-check --quiet finals-kiosk
if errorlevel 1 (
    echo error: installing from %HERE% failed; is this the whole wheelhouse folder?
    exit /b 1
)
"%DEST%\Scripts\head-judge.exe" --version
echo done. Head judge: "%DEST%\Scripts\head-judge.exe" --help    Judge: "%DEST%\Scripts\judge-terminal.exe"
endlocal
