import { $, api, failSafely, hub, hubCommand } from './app';
import { onLanguageChange, t } from './i18n';
import { fillList } from './lists';

/** An open consultation this doctor was added to by its consulting doctor (GET /api/consultations/invited). */
export interface Invitation { consultationId: string; token: number; doctorId: string; doctorName: string; invitedAt: string }

interface ChatMessage { consultationId: string; messageId: string; from: string; text: string }

let invitations: Invitation[] | undefined;

onLanguageChange(renderInvitations);

/** Lists the rooms this doctor is invited to, and adds new invitations as the hub pushes them. */
export async function watchInvitations() {
  hub().on('InvitedToConsultation', (invitation: Invitation) => {
    invitations = [invitation, ...(invitations ?? []).filter(i => i.consultationId !== invitation.consultationId)];
    renderInvitations();
  });
  invitations = await api.get<Invitation[]>('/api/consultations/invited');
  renderInvitations();
}

function renderInvitations() {
  if (!invitations) return;
  fillList($('invitations'), invitations.map(invitation => {
    const item = document.createElement('li');
    const join = Object.assign(document.createElement('button'), {
      type: 'button', textContent: t('doctor.joinRoom', { token: invitation.token, doctor: invitation.doctorName }),
    });
    join.dataset.consultation = invitation.consultationId;
    join.addEventListener('click', () => void failSafely(() => joinAsStaff(invitation)));
    item.append(join);
    return item;
  }), t('doctor.invitationsEmpty'));
}

/**
 * Joins the room for chat only. The call is one peer connection between the consulting doctor and the patient, and
 * the hub relays offers to everyone in the room: answering them from here would take the call from the patient.
 */
async function joinAsStaff(invitation: Invitation) {
  const id = invitation.consultationId;
  const consultation = await api.get<{ doctorId: string; patientId: string; patient?: { name: string } }>(`/api/consultations/${id}`);
  const names = new Map([[consultation.doctorId, invitation.doctorName], [consultation.patientId, consultation.patient?.name ?? '']]);
  const log = $('staff-chat-log');
  const append = (text: string) => log.append(Object.assign(document.createElement('li'), { textContent: text }));
  const onChat = (message: ChatMessage) => {
    if (message.consultationId !== id) return;
    append(t('doctor.chatFrom', { name: names.get(message.from) || t('doctor.someoneInRoom'), text: message.text }));
    void hub().invoke('AcknowledgeChat', id, message.messageId, true);
  };
  hub().on('ChatMessage', onChat);
  try {
    await hubCommand('JoinRoom', id);
  } catch (error) {
    hub().off('ChatMessage', onChat);
    throw error;
  }
  log.replaceChildren();
  $('staff-room').hidden = false;
  $('staff-room-status').textContent = t('doctor.staffRoomJoined');
  $<HTMLButtonElement>('staff-chat-send').disabled = false;
  $<HTMLInputElement>('staff-chat-text').focus();
  $('staff-chat-send').onclick = () => void failSafely(async () => {
    const input = $<HTMLInputElement>('staff-chat-text');
    const text = input.value.trim();
    if (!text) return;
    await hubCommand('SendChat', id, crypto.randomUUID(), text);
    append(t('doctor.chatYou', { text }));
    input.value = '';
  });
  $('staff-room-leave').onclick = () => void failSafely(async () => {
    hub().off('ChatMessage', onChat);
    await hub().invoke('HangUp', id);
    $('staff-room-status').textContent = t('doctor.leftRoom');
    $<HTMLButtonElement>('staff-chat-send').disabled = true;
  });
}
