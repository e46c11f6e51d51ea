; Caseworker's per-machine Windows installer (NSIS 3), made from the PyInstaller bundle in
; dist\caseworker\ (built on Windows: see docs\windows-install.md):
;
;   makensis /DVERSION=0.1.0 packaging\windows\caseworker.nsi
;
; writes dist\Caseworker-<version>-setup.exe. It installs for every user of the machine into
; Program Files (administrator rights), adds one Start-menu shortcut for all users and an entry in
; Apps & features, and never updates itself. Silent: `Caseworker-0.1.0-setup.exe /S` (and
; `/D=C:\Path` to choose the folder); silent uninstall: `"<folder>\uninstall.exe" /S`.
;
; Optional, when compiling:
;   /DCASEWORKER_DB=URL   also sets the machine-wide CASEWORKER_DB (the team's database) and
;                         removes it again on uninstall
;   /DCOUNCIL_FILES=DIR   also installs the council's own policies and letter templates, DIR
;                         holding policies\<id>.toml and letter_templates\..., beside the
;                         bundled ones (for every user of the machine)
;   /DDIST=FOLDER         the bundle to package (default ..\..\dist\caseworker)

Unicode true

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef DIST
  !define DIST "..\..\dist\caseworker"
!endif
!define APP "Caseworker"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define ENVIRONMENT_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"

Name "${APP}"
OutFile "..\..\dist\${APP}-${VERSION}-setup.exe"
InstallDir "$PROGRAMFILES64\${APP}"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "MIT licence"

!include "MUI2.nsh"
!include "x64.nsh"
!include "WinMessages.nsh"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP} needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${APP}"
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program whole: nothing of the previous version's libraries stays.
  RMDir /r "$INSTDIR\_internal"
  File /r "${DIST}\*.*"
!ifdef COUNCIL_FILES
  SetOutPath "$INSTDIR\_internal\caseworker\_bundled"
  File /r "${COUNCIL_FILES}\*.*"
  SetOutPath "$INSTDIR"
!endif
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\caseworkerw.exe" "" "$INSTDIR\caseworkerw.exe" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\caseworkerw.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1

!ifdef CASEWORKER_DB
  WriteRegExpandStr HKLM "${ENVIRONMENT_KEY}" "CASEWORKER_DB" "${CASEWORKER_DB}"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
!endif
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

; Removes the program, its shortcut and its Apps & features entry. Each person's data folder
; (%LOCALAPPDATA%\Caseworker: their SQLite database, backups, letters, own policies and
; templates) is theirs and stays; docs\windows-install.md says how to remove it.
Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\caseworker.exe"
  Delete "$INSTDIR\caseworkerw.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
!ifdef CASEWORKER_DB
  DeleteRegValue HKLM "${ENVIRONMENT_KEY}" "CASEWORKER_DB"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
!endif
SectionEnd
