; Marginalia's Windows installer, for NSIS 3 (Debian's `nsis` builds it on Linux).
; packaging/windows/build runs it as
;   makensis -DVERSION=0.1.0 -DSTAGE=<folder with marginalia.exe…> -DOUTFILE=<setup.exe> marginalia.nsi
;
; Install modes: for the current user (the default; no administrator needed) into
; %LOCALAPPDATA%\Programs\Marginalia with its registry entries under HKCU, or for everyone
; (/AllUsers, or the choice on the second page, which asks Windows for administrator rights)
; into Program Files with its entries under HKLM. SHCTX below is whichever root the mode uses.
; /S installs or uninstalls silently; /D=FOLDER (last on the command line) sets the folder.
;
; File types: .qdpx (REFI-QDA) opens with Marginalia, which imports it, unless another program
; already owns .qdpx, in which case Marginalia is only offered under "Open with". Projects are
; .ron files, and .ron is a general format other programs use for their settings: Marginalia
; is added to .ron's "Open with" list but never made the program that opens every .ron.
;
; The uninstaller removes the program, its shortcuts and its registry entries, nothing else:
; projects, the sample copy and preferences in %APPDATA%\Marginalia are the person's.

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include nsDialogs.nsh

!ifndef VERSION
  !error "give -DVERSION=X.Y.Z"
!endif
!ifndef STAGE
  !error "give -DSTAGE=<folder holding marginalia.exe, LICENSE.txt, README.md, licences>"
!endif
!ifndef OUTFILE
  !define OUTFILE "Marginalia-${VERSION}-setup.exe"
!endif

!define APP "Marginalia"
!define PUBLISHER "The Marginalia authors"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Marginalia"
!define APP_PATHS_KEY "Software\Microsoft\Windows\CurrentVersion\App Paths\marginalia.exe"
!define QDPX_PROGID "Marginalia.qdpx"
!define PROJECT_PROGID "Marginalia.project"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
BrandingText "${APP} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "© 2026 ${PUBLISHER}, MIT licence"

!define MUI_ICON "${STAGE}\marginalia.ico"
!define MUI_UNICON "${STAGE}\marginalia.ico"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC

Var AllUsers         ; 1: for everyone on this computer, 0: for the current user
Var ModeJustMe       ; the radio buttons of the install-mode page
Var ModeEveryone

!insertmacro MUI_PAGE_LICENSE "${STAGE}\LICENSE.txt"
Page custom InstallModePage InstallModeLeave
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\marginalia.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${APP} on the sample project"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; Registry root, folders and Start menu for the chosen mode.
!macro UseMode
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
!macroend

Function .onInit
  StrCpy $AllUsers 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AllUsers" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${EndIf}
  ${If} $AllUsers == 1
    UserInfo::GetAccountType
    Pop $R2
    ${If} $R2 != "Admin"
      IfSilent +2
        MessageBox MB_ICONSTOP "Installing for everyone needs administrator rights: start the setup program with $\"Run as administrator$\", or install for yourself only."
      SetErrorLevel 740 ; ERROR_ELEVATION_REQUIRED
      Quit
    ${EndIf}
    StrCpy $INSTDIR "$PROGRAMFILES64\${APP}"
  ${EndIf}
  !insertmacro UseMode
FunctionEnd

Function InstallModePage
  ; Started again with /AllUsers as administrator (see InstallModeLeave): nothing to ask.
  ${If} $AllUsers == 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Who is it for?" "Install ${APP} for yourself, or for everyone who uses this computer."
  nsDialogs::Create 1018
  Pop $R0
  ${NSD_CreateRadioButton} 0 10u 100% 12u "Just for me (recommended; no administrator rights needed)"
  Pop $ModeJustMe
  ${NSD_CreateRadioButton} 0 30u 100% 12u "For everyone on this computer (asks for administrator rights)"
  Pop $ModeEveryone
  ${NSD_Check} $ModeJustMe
  nsDialogs::Show
FunctionEnd

Function InstallModeLeave
  ${NSD_GetState} $ModeEveryone $R0
  ${If} $R0 == ${BST_CHECKED}
    ; Windows asks for administrator rights; the elevated copy carries on from the start.
    ExecShell "runas" "$EXEPATH" "/AllUsers"
    Quit
  ${EndIf}
FunctionEnd

Section "${APP} (required)" SectionProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${STAGE}\marginalia.exe"
  File "${STAGE}\marginalia.ico"
  File "${STAGE}\LICENSE.txt"
  File "${STAGE}\README.md"
  SetOutPath "$INSTDIR\licences"
  File "${STAGE}\licences\*.txt"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\marginalia.exe" "" "$INSTDIR\marginalia.exe" 0 \
    SW_SHOWNORMAL "" "Annotate documents with codes"

  ; `start marginalia` and Win+R find the program without a change to PATH.
  WriteRegStr SHCTX "${APP_PATHS_KEY}" "" "$INSTDIR\marginalia.exe"

  ; Projects: offered under "Open with" for .ron, never the default for every .ron.
  WriteRegStr SHCTX "Software\Classes\${PROJECT_PROGID}" "" "Marginalia project"
  WriteRegStr SHCTX "Software\Classes\${PROJECT_PROGID}\DefaultIcon" "" "$INSTDIR\marginalia.exe,0"
  WriteRegStr SHCTX "Software\Classes\${PROJECT_PROGID}\shell\open\command" "" '"$INSTDIR\marginalia.exe" "%1"'
  WriteRegStr SHCTX "Software\Classes\.ron\OpenWithProgids" "${PROJECT_PROGID}" ""
  WriteRegStr SHCTX "Software\Classes\Applications\marginalia.exe\shell\open\command" "" '"$INSTDIR\marginalia.exe" "%1"'
  WriteRegStr SHCTX "Software\Classes\Applications\marginalia.exe\SupportedTypes" ".ron" ""
  WriteRegStr SHCTX "Software\Classes\Applications\marginalia.exe\SupportedTypes" ".qdpx" ""

  ; "Apps & features"; the uninstaller is told the mode it was installed in.
  ${If} $AllUsers == 1
    StrCpy $R0 "/AllUsers"
  ${Else}
    StrCpy $R0 "/CurrentUser"
  ${EndIf}
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\marginalia.exe,0"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" $R0'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S $R0'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $R1 $R2 $R3
  IntFmt $R1 "0x%08X" $R1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" "$R1"
SectionEnd

Section "Open .qdpx files (REFI-QDA) with ${APP}" SectionQdpx
  WriteRegStr SHCTX "Software\Classes\${QDPX_PROGID}" "" "REFI-QDA project"
  WriteRegStr SHCTX "Software\Classes\${QDPX_PROGID}\DefaultIcon" "" "$INSTDIR\marginalia.exe,0"
  WriteRegStr SHCTX "Software\Classes\${QDPX_PROGID}\shell\open\command" "" '"$INSTDIR\marginalia.exe" "%1"'
  WriteRegStr SHCTX "Software\Classes\.qdpx\OpenWithProgids" "${QDPX_PROGID}" ""
  ReadRegStr $R0 SHCTX "Software\Classes\.qdpx" ""
  ${If} $R0 == ""
  ${OrIf} $R0 == "${QDPX_PROGID}"
    WriteRegStr SHCTX "Software\Classes\.qdpx" "" "${QDPX_PROGID}"
    WriteRegStr SHCTX "Software\Classes\.qdpx" "Content Type" "application/x-qdpx"
  ${EndIf}
  ; Explorer shows the new icons and "Open" without a restart.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section /o "Desktop shortcut" SectionDesktop
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\marginalia.exe" "" "$INSTDIR\marginalia.exe" 0
SectionEnd

Function un.onInit
  StrCpy $AllUsers 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AllUsers" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${EndIf}
  !insertmacro UseMode
FunctionEnd

Section "Uninstall"
  ; Only what the installer put there: a folder the person chose may hold their own files.
  Delete "$INSTDIR\marginalia.exe"
  Delete "$INSTDIR\marginalia.ico"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\licences\*.txt"
  RMDir "$INSTDIR\licences"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"

  DeleteRegKey SHCTX "${APP_PATHS_KEY}"
  DeleteRegKey SHCTX "Software\Classes\${PROJECT_PROGID}"
  DeleteRegValue SHCTX "Software\Classes\.ron\OpenWithProgids" "${PROJECT_PROGID}"
  DeleteRegKey /ifempty SHCTX "Software\Classes\.ron\OpenWithProgids"
  DeleteRegKey /ifempty SHCTX "Software\Classes\.ron"
  DeleteRegKey SHCTX "Software\Classes\Applications\marginalia.exe"
  DeleteRegKey SHCTX "Software\Classes\${QDPX_PROGID}"
  DeleteRegValue SHCTX "Software\Classes\.qdpx\OpenWithProgids" "${QDPX_PROGID}"
  DeleteRegKey /ifempty SHCTX "Software\Classes\.qdpx\OpenWithProgids"
  ReadRegStr $R0 SHCTX "Software\Classes\.qdpx" ""
  ${If} $R0 == "${QDPX_PROGID}"
    DeleteRegValue SHCTX "Software\Classes\.qdpx" ""
    DeleteRegValue SHCTX "Software\Classes\.qdpx" "Content Type"
  ${EndIf}
  DeleteRegKey /ifempty SHCTX "Software\Classes\.qdpx"
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
